/**
 * A tenant's stored configuration: checking what createOrUpdateTenant is given, merging it into
 * what is stored, and reading it back as the engine's TenantOverrides. Bad input is a programmer
 * error, so it throws with a message that names the key and what is accepted.
 */
import type { CoreSettings, TenantCoreSettingName, TenantOverrides } from "../../engine/types.js";
import type { TenantConfig, TenantConfigInput } from "./types.js";

/** The factor ids of FDI §7; recipes may offer more (their `firstFactors`). */
export const KNOWN_FIRST_FACTORS = ["emailpassword", "thirdparty", "otp-email", "otp-phone", "link-email", "link-phone", "webauthn", "totp"] as const;

/** The units are those of CoreSettings: seconds, minutes, then milliseconds. */
export const TENANT_CORE_SETTINGS: readonly TenantCoreSettingName[] = [
  "accessTokenValidity",
  "refreshTokenValidity",
  "passwordResetTokenLifetime",
  "passwordlessCodeLifetime",
  "emailVerificationTokenLifetime",
];

const CONFIG_KEYS = ["firstFactors", "requiredSecondaryFactors", "coreConfig", "websiteDomain", "inviteOnly"] as const;

export interface ConfigChecks {
  /** Factor ids this instance can offer (known ones and those of its recipes). */
  factorIds: readonly string[];
  instance: CoreSettings;
  /** Whether the Invitations recipe is in recipeList (inviteOnly needs it). */
  hasInvitations: boolean;
}

/** Returns the stored config after applying `input` (null removes a key); throws on bad input. */
export function mergeTenantConfig(stored: Record<string, unknown>, input: TenantConfigInput | undefined, checks: ConfigChecks): Record<string, unknown> {
  if (input === undefined) return { ...stored };
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new Error("The tenant config must be an object");
  const unknownKeys = Object.keys(input).filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key));
  if (unknownKeys.length > 0) throw new Error(`Unknown tenant config key(s) ${unknownKeys.join(", ")}: use ${CONFIG_KEYS.join(", ")}`);
  const merged: Record<string, unknown> = { ...stored };
  const set = (key: string, value: unknown) => {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  };
  set("firstFactors", checkFactors("firstFactors", input.firstFactors, checks.factorIds));
  set("requiredSecondaryFactors", checkFactors("requiredSecondaryFactors", input.requiredSecondaryFactors, checks.factorIds));
  set("websiteDomain", input.websiteDomain === null || input.websiteDomain === undefined ? input.websiteDomain : checkOrigin(input.websiteDomain));
  if (input.inviteOnly !== undefined && input.inviteOnly !== null) {
    if (typeof input.inviteOnly !== "boolean") throw new Error(`inviteOnly must be true, false or null, got ${JSON.stringify(input.inviteOnly)}`);
    if (input.inviteOnly && !checks.hasInvitations) throw new Error("inviteOnly: true needs the Invitations recipe: add Invitations.init() to recipeList");
  }
  set("inviteOnly", input.inviteOnly);
  if (input.coreConfig !== undefined) {
    const core = mergeCoreConfig(asObject(stored["coreConfig"]), input.coreConfig, checks.instance);
    set("coreConfig", Object.keys(core).length === 0 ? null : core);
  }
  return merged;
}

function checkFactors(key: string, value: unknown, factorIds: readonly string[]): string[] | null | undefined {
  if (value === null || value === undefined) return value;
  if (!Array.isArray(value) || value.some((factor) => typeof factor !== "string")) throw new Error(`${key} must be an array of factor ids or null`);
  const unknown = value.filter((factor: string) => !factorIds.includes(factor));
  if (unknown.length > 0) throw new Error(`Unknown factor id(s) in ${key}: ${unknown.join(", ")}; use ${factorIds.join(", ")}`);
  return [...new Set(value as string[])];
}

/** An origin only: scheme and host (a path, query or fragment would make a broken link). */
function checkOrigin(value: unknown): string {
  const problem = `websiteDomain must be an origin such as "https://acme.example.com", got ${JSON.stringify(value)}`;
  if (typeof value !== "string") throw new Error(problem);
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(problem);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.username !== "" || url.password !== "") throw new Error(problem);
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "") throw new Error(`${problem}: no path, query or fragment`);
  return url.origin;
}

function mergeCoreConfig(stored: Record<string, unknown>, input: unknown, instance: CoreSettings): Record<string, unknown> {
  if (input === null) return {};
  if (typeof input !== "object" || Array.isArray(input)) throw new Error("coreConfig must be an object or null");
  const merged = { ...stored };
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (!(TENANT_CORE_SETTINGS as readonly string[]).includes(key)) {
      throw new Error(`Unknown coreConfig key ${key}: a tenant may set ${TENANT_CORE_SETTINGS.join(", ")}`);
    }
    if (value === null) {
      delete merged[key];
      continue;
    }
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) throw new Error(`coreConfig.${key} must be a positive whole number, got ${JSON.stringify(value)}`);
    if (key === "accessTokenValidity" && value > instance.accessTokenValidity) {
      throw new Error(`coreConfig.accessTokenValidity may not exceed the instance's core.accessTokenValidity (${instance.accessTokenValidity} s): signing keys are kept only that long`);
    }
    merged[key] = value;
  }
  return merged;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
}

/** The SDK's TenantConfig shape, plus this library's websiteDomain and inviteOnly when set. */
export function toTenantConfig(config: Record<string, unknown>): TenantConfig {
  const firstFactors = stringList(config["firstFactors"]);
  const requiredSecondaryFactors = stringList(config["requiredSecondaryFactors"]);
  return {
    thirdParty: { providers: [] },
    ...(firstFactors !== undefined ? { firstFactors } : {}),
    ...(requiredSecondaryFactors !== undefined ? { requiredSecondaryFactors } : {}),
    coreConfig: asObject(config["coreConfig"]),
    ...(typeof config["websiteDomain"] === "string" ? { websiteDomain: config["websiteDomain"] } : {}),
    ...(typeof config["inviteOnly"] === "boolean" ? { inviteOnly: config["inviteOnly"] } : {}),
  };
}

/** What the engine applies. Only well-formed values count: the config was checked when written. */
export function toOverrides(config: Record<string, unknown>): TenantOverrides {
  const core: Partial<Record<TenantCoreSettingName, number>> = {};
  const storedCore = asObject(config["coreConfig"]);
  for (const key of TENANT_CORE_SETTINGS) {
    const value = storedCore[key];
    if (typeof value === "number" && value > 0) core[key] = value;
  }
  return {
    firstFactors: stringList(config["firstFactors"]),
    websiteDomain: typeof config["websiteDomain"] === "string" ? config["websiteDomain"] : undefined,
    core,
    inviteOnly: typeof config["inviteOnly"] === "boolean" ? config["inviteOnly"] : undefined,
  };
}
