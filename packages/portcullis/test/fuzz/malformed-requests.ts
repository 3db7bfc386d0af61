/**
 * A seeded generator of malformed requests for the auth routes: wrong types, broken JSON, huge and
 * control-character strings, garbage tokens and cookies, unknown tenants. Seeded so a failure
 * names the seed that reproduces it.
 */
export interface FuzzRoute {
  method: string;
  path: string;
  tenantScoped: boolean;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type Random = () => number;

/** mulberry32: tiny, fast, and good enough to spread test inputs. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** encodeURIComponent refuses lone surrogates; send their (invalid UTF-8) bytes instead, which is the point. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b@example.com",
  "\u202e\u0007\u001b[31m",
  "%00%ZZ%",
  "../../etc/passwd",
  "'; drop table users; --",
  "\ud800",
  "😀".repeat(50),
  "Jose\u0301@EXAMPLE.com",
  "\uff41\uff40\uff45.com",
  "a".repeat(300) + "@example.com",
  "x".repeat(70_000),
  "__proto__",
  "constructor",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "<script>alert(1)</script>",
  "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
  "Bearer",
];

function nastyValue(random: Random, depth = 0): unknown {
  switch (Math.floor(random() * 11)) {
    case 0:
      return pick(random, NASTY_STRINGS);
    case 1:
      return Math.floor(random() * 2 ** 40) * (random() < 0.5 ? -1 : 1);
    case 2:
      return random() < 0.5;
    case 3:
      return null;
    case 4:
      return depth > 3 ? [] : Array.from({ length: Math.floor(random() * 4) }, () => nastyValue(random, depth + 1));
    case 5:
      return depth > 3 ? {} : { [pick(random, ["id", "value", "__proto__", "x"])]: nastyValue(random, depth + 1) };
    case 6:
      return `${pick(random, ["a", "ADA", "nobody"])}@${pick(random, ["example.com", "exa mple.com", "", "x"])}`;
    case 7:
      return 1.5;
    case 8:
      return pick(random, ["password123", "short", "p".repeat(2000)]);
    case 9:
      return { value: "password123" };
    default:
      return String.fromCharCode(...Array.from({ length: Math.floor(random() * 20) }, () => Math.floor(random() * 0xffff)));
  }
}

function formFields(random: Random): unknown {
  switch (Math.floor(random() * 7)) {
    case 0:
      return nastyValue(random);
    case 1:
      return [nastyValue(random), nastyValue(random)];
    case 2:
      return [{ id: "email" }, { value: "x" }];
    case 3:
      return [
        { id: "email", value: nastyValue(random) },
        { id: "password", value: nastyValue(random) },
      ];
    case 4:
      return [
        { id: "email", value: pick(random, NASTY_STRINGS) },
        { id: "password", value: "password123" },
        ...(random() < 0.5 ? [{ id: nastyValue(random), value: nastyValue(random) }] : []),
      ];
    case 5:
      return Array.from({ length: 30 }, () => ({ id: "email", value: "a@b.co" }));
    default:
      return [{ id: "password", value: nastyValue(random) }];
  }
}

/** The passwordless routes' fields, each present or not, well-typed or not. */
function passwordlessFields(random: Random): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of ["email", "phoneNumber", "deviceId", "preAuthSessionId", "userInputCode", "linkCode", "shouldTryLinkingWithSessionUser"]) {
    if (random() < 0.45) fields[field] = random() < 0.3 ? pick(random, ["+14155552671", "123456", "AAAA", "a@example.com"]) : nastyValue(random);
  }
  return fields;
}

function body(random: Random): { text: string | undefined; contentType: string | undefined } {
  const json = "application/json";
  switch (Math.floor(random() * 14)) {
    case 12:
    case 13:
      return { text: JSON.stringify(passwordlessFields(random)), contentType: pick(random, [json, json, "text/plain"]) };
    case 0:
      return { text: undefined, contentType: undefined };
    case 1:
      return { text: "", contentType: json };
    case 2:
      return { text: pick(random, ["{", "{\"formFields\":", "[1,2", "nul", "{'a':1}", "\u0000", "{\"a\":1}}"]), contentType: json };
    case 3:
      return { text: JSON.stringify(nastyValue(random)), contentType: json };
    case 4:
      return { text: "[".repeat(5000) + "]".repeat(5000), contentType: json };
    case 5:
      return { text: JSON.stringify({ formFields: formFields(random), padding: "x".repeat(80_000) }), contentType: json };
    case 6:
      return { text: `formFields=${encode(String(nastyValue(random)))}&token=%ZZ`, contentType: "application/x-www-form-urlencoded" };
    case 7:
      return { text: JSON.stringify({ formFields: formFields(random), token: nastyValue(random), method: nastyValue(random) }), contentType: pick(random, [json, "text/plain", "application/json; charset=latin1"]) };
    default:
      return { text: JSON.stringify({ formFields: formFields(random), ...(random() < 0.5 ? { token: nastyValue(random) } : {}) }), contentType: json };
  }
}

function headers(random: Random): Record<string, string> {
  const result: Record<string, string> = {};
  if (random() < 0.6) result["rid"] = pick(random, ["emailpassword", "passwordless", "session", "anti-csrf", "thirdparty", "", "x".repeat(300)]);
  if (random() < 0.5) result["st-auth-mode"] = pick(random, ["header", "cookie", "both", "", "HEADER"]);
  if (random() < 0.4) result["authorization"] = pick(random, ["Bearer ", "Bearer x", "Basic abc", "Bearer " + "a.b.c", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.AAAA", "Bearer " + "z".repeat(5000)]);
  if (random() < 0.4) result["cookie"] = pick(random, ["sAccessToken=%ZZ", "sAccessToken=a; sAccessToken=b", "sRefreshToken=" + "r".repeat(4000), "sIdRefreshToken=x; =; ;;", "sAccessToken=eyJ.eyJ.sig"]);
  if (random() < 0.3) result["anti-csrf"] = pick(random, ["", "x", "\u00ff"]);
  if (random() < 0.2) result["fdi-version"] = pick(random, ["4.2", "99", "", "a,b"]);
  return result;
}

export function malformedRequest(random: Random, routes: readonly FuzzRoute[]): FuzzRequest {
  const route = pick(random, routes);
  const tenant = route.tenantScoped && random() < 0.4 ? `/${pick(random, ["public", "nosuchtenant", "UPPER", "a".repeat(70), "%00", "..", "-"])}` : "";
  const method = random() < 0.85 ? route.method.toUpperCase() : pick(random, ["GET", "POST", "PUT", "DELETE", "PATCH"]);
  const query = random() < 0.5 ? `?${pick(random, ["email", "phoneNumber"])}=${encode(String(nastyValue(random)))}&${pick(random, ["clientType=web", "token=%ZZ", "x=1", ""])}` : "";
  const { text, contentType } = method === "GET" ? { text: undefined, contentType: undefined } : body(random);
  const requestHeaders = headers(random);
  if (contentType !== undefined) requestHeaders["content-type"] = contentType;
  return { method, path: `/auth${tenant}${route.path}${query}`, headers: requestHeaders, body: text };
}
