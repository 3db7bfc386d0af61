/**
 * The link an invitation hands out, and the passwordless codes behind it. The passwordless recipe
 * is reached through a structural type, so this recipe depends on no passwordless internals and
 * works the same when passwordless is absent.
 */
import type { UserContext } from "../../core/user-context.js";
import type { Engine, RecipeModule } from "../../engine/types.js";
import type { Invitee } from "./types.js";

const PASSWORDLESS_RECIPE_ID = "passwordless";

/** What invitations use of the passwordless recipe. */
interface MagicLinkIssuer {
  acceptsContact?(contact: Invitee): boolean;
  /** `codeLifetime` in milliseconds. */
  createMagicLink(contact: Invitee, tenantId: string, userContext?: Record<string, unknown>, codeLifetime?: number): Promise<string>;
  recipeInterfaceImpl?: { revokeAllCodes?(input: Invitee & { tenantId: string; userContext: UserContext }): Promise<unknown> };
}

function passwordlessOf(engine: Engine): (RecipeModule & Partial<MagicLinkIssuer>) | undefined {
  return engine.getRecipe<RecipeModule & Partial<MagicLinkIssuer>>(PASSWORDLESS_RECIPE_ID);
}

/**
 * A passwordless magic link when that recipe is in the list and takes this kind of contact: it
 * signs the invitee in with one click and lives as long as the invitation. Otherwise the sign-up
 * page, with the address filled in.
 */
export async function invitationLink(engine: Engine, invitee: Invitee, tenantId: string, lifetimeMs: number, userContext: UserContext): Promise<string> {
  const passwordless = passwordlessOf(engine);
  if (passwordless?.createMagicLink !== undefined && (passwordless.acceptsContact?.(invitee) ?? true)) {
    return passwordless.createMagicLink(invitee, tenantId, userContext, lifetimeMs);
  }
  const { appInfo } = engine;
  const origin = (await engine.tenantSettings(tenantId, userContext)).websiteOrigin.replace(/\/+$/, "");
  const query = new URLSearchParams({ show: "signup" });
  if (invitee.email !== undefined) query.set("email", invitee.email);
  else query.set("phoneNumber", invitee.phoneNumber);
  if (tenantId !== "public") query.set("tenantId", tenantId);
  return `${origin}${appInfo.websiteBasePath}?${query.toString()}`;
}

/**
 * Withdraws the passwordless codes (magic links included) sent to the invitee in the tenant: a
 * link must not outlive the invitation it was made for (revoked, replaced, or used by another
 * login method). A no-op without passwordless.
 */
export async function withdrawMagicLinks(engine: Engine, invitee: Invitee, tenantId: string, userContext: UserContext): Promise<void> {
  const revokeAllCodes = passwordlessOf(engine)?.recipeInterfaceImpl?.revokeAllCodes;
  if (revokeAllCodes === undefined) return;
  await revokeAllCodes({ ...invitee, tenantId, userContext });
}
