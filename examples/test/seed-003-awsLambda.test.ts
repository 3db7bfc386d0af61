/**
 * Seed 003's AWS Lambda tab over HTTP: the guide's `exports.handler` (verifySession around
 * createUser) and the auth API (`middleware()`) run as Lambda functions behind a stand-in for an
 * API Gateway HTTP API (v2 events) on the stage `dev`, so every path carries `/dev` and
 * `appInfo.apiGatewayPath` is "/dev".
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import UserRoles from "portcullis/recipe/userroles";
import { resetDefaultInstance } from "portcullis/engine";
import { middleware } from "portcullis/framework/awsLambda";
import { inviteOnlyPasswordless } from "../src/seeds/003-invite-only.js";
import { closeServer, freePort } from "./helpers.js";
import { seed003Client, inviteLinkTo, passwordlessUsers } from "./seed-003-kit.js";

let server: Server;
let base = "";
let dataDir = "";

type Lambda = (event: APIGatewayProxyEventV2, context: Context, callback: () => void) => unknown;

/** What API Gateway does with a request: a v2 event for the function its route names, the result back as HTTP. */
function gateway(routes: (path: string) => Lambda): Server {
  return createServer((req, res) => {
    void (async () => {
      const event = await toEvent(req);
      const result = (await routes(event.rawPath)(event, {} as Context, () => undefined)) as {
        statusCode: number | string;
        headers?: Record<string, string>;
        cookies?: string[];
        body?: string;
      };
      const headers = Object.entries(result.headers ?? {}).concat((result.cookies ?? []).map((cookie) => ["set-cookie", cookie]));
      res.writeHead(Number(result.statusCode), headers.flat()).end(result.body);
    })().catch(() => res.writeHead(502).end(JSON.stringify({ message: "Internal server error" })));
  });
}

async function toEvent(req: IncomingMessage): Promise<APIGatewayProxyEventV2> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://gateway");
  const { cookie, ...headers } = req.headers as Record<string, string>;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookie !== undefined ? { cookies: cookie.split("; ") } : {}),
    headers,
    requestContext: {
      http: { method: req.method ?? "GET", path: url.pathname, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "" },
      stage: "dev",
    } as APIGatewayProxyEventV2["requestContext"],
    body: Buffer.concat(chunks).toString("utf8"),
    isBase64Encoded: false,
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "portcullis-seed003-lambda-"));
  const port = await freePort();
  base = `http://localhost:${port}`;
  supertokens.init({
    framework: "awsLambda",
    appInfo: { appName: "Seed 003 on Lambda", apiDomain: base, websiteDomain: "http://localhost:3000", apiBasePath: "/auth", apiGatewayPath: "/dev" },
    database: `sqlite:${join(dataDir, "seed.db")}`,
    recipeList: [EmailPassword.init(), inviteOnlyPasswordless(), Session.init(), UserRoles.init()],
  });
  // Imported after init, as a Lambda bundle would load it; the seed's module has no init of its own.
  const { handler: createUser } = await import("../src/seeds/003-awsLambda.js");
  const auth = middleware();
  server = gateway((path) => (path === "/dev/create-user" ? createUser : auth) as Lambda);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
});

afterAll(async () => {
  await closeServer(server);
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

const { call, emailPasswordSignUp } = seed003Client(() => `${base}/dev`);
const inviteLink = inviteLinkTo;

describe("seed 003 on AWS Lambda (HTTP API v2 events, stage /dev)", () => {
  const invitee = "invitee@example.com";

  it("refuses a code to an address nobody invited", async () => {
    const response = await call("/auth/signinup/code", { email: "stranger@example.com" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "GENERAL_ERROR", message: "Sign up disabled. Please contact the admin." });
    expect(await passwordlessUsers("stranger@example.com")).toEqual([]);
  });

  it("refuses /create-user without a session, and for a signed-in user who is not admin", async () => {
    expect((await call("/create-user", { email: invitee })).status).toBe(401);
    const { accessToken } = await emailPasswordSignUp("member@example.com");
    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      message: "invalid claim",
      claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value", expectedToInclude: "admin", actualValue: [] } }],
    });
    expect(await passwordlessUsers(invitee)).toEqual([]);
  });

  it("lets an admin invite: Success, and the emailed link signs the invitee in once", async () => {
    const { userId } = await emailPasswordSignUp("admin@example.com");
    await UserRoles.createNewRoleOrAddPermissions("admin", []);
    expect(await UserRoles.addRoleToUser("public", userId, "admin")).toMatchObject({ status: "OK" });
    const signIn = await call("/auth/signin", { formFields: [{ id: "email", value: "admin@example.com" }, { id: "password", value: "password123" }] });
    const accessToken = signIn.headers.get("st-access-token") ?? "";

    expect((await call("/create-user", {}, accessToken)).status).toBe(400);
    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(200);
    expect(response.body).toBe("Success");
    const [user] = await passwordlessUsers(invitee);
    expect(user?.emails).toEqual([invitee]);

    const link = await inviteLink(invitee);
    expect(`${link.origin}${link.pathname}`).toBe("http://localhost:3000/auth/verify");
    const consume = { preAuthSessionId: link.searchParams.get("preAuthSessionId"), linkCode: link.hash.slice(1) };
    const signedIn = await call("/auth/signinup/code/consume", consume);
    expect(signedIn.body).toMatchObject({ status: "OK", createdNewRecipeUser: false, user: { id: user?.id } });
    expect(signedIn.headers.get("st-access-token")).toBeTruthy();
    expect((await call("/auth/signinup/code/consume", consume)).body).toEqual({ status: "RESTART_FLOW_ERROR" });
  });

  it("sets cookie-mode session cookies through the v2 `cookies` array, refresh cookie under the stage path", async () => {
    const response = await fetch(`${base}/dev/auth/signin`, {
      method: "POST",
      headers: { "content-type": "application/json", "st-auth-mode": "cookie" },
      body: JSON.stringify({ formFields: [{ id: "email", value: "member@example.com" }, { id: "password", value: "password123" }] }),
    });
    const cookies = response.headers.getSetCookie();
    expect(cookies.some((line) => line.startsWith("sAccessToken=") && line.includes("Path=/;"))).toBe(true);
    expect(cookies.some((line) => line.startsWith("sRefreshToken=") && line.includes("Path=/dev/auth/session/refresh;"))).toBe(true);
  });
});
