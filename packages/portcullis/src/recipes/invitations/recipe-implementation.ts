import { emailProblem, isValidPhoneNumber, normaliseEmail, normalisePhoneNumber } from "../../core/normalise.js";
import type { Engine } from "../../engine/types.js";
import type { AccountIdentifier } from "../../storage/storage.js";
import { USERROLES_RECIPE_ID, type UserRolesRecipe } from "../userroles/userroles-recipe.js";
import { invitationLink, withdrawMagicLinks } from "./invitation-link.js";
import type { Invitee, RecipeInterface, TypeNormalisedInput } from "./types.js";

/** The invitee as stored and matched: the same normalisation every login recipe applies. */
function normaliseInvitee(invitee: Invitee): { identifier: AccountIdentifier & Invitee } | { status: "INVALID_EMAIL_ERROR" | "INVALID_PHONE_NUMBER_ERROR" } {
  if (invitee.email !== undefined) {
    const email = normaliseEmail(invitee.email);
    return emailProblem(invitee.email) === undefined && /^[^@\s]+@[^@\s]+$/.test(email) ? { identifier: { email } } : { status: "INVALID_EMAIL_ERROR" };
  }
  return isValidPhoneNumber(invitee.phoneNumber) ? { identifier: { phoneNumber: normalisePhoneNumber(invitee.phoneNumber) } } : { status: "INVALID_PHONE_NUMBER_ERROR" };
}

function lifetimeMsOf(seconds: number): number {
  const ms = Math.round(seconds * 1000);
  // A bad lifetime is a programming error, not an outcome to branch on.
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`lifetimeSeconds must be a positive number of seconds, got ${String(seconds)}`);
  return ms;
}

export function createInvitationsRecipeImplementation(engine: Engine, config: TypeNormalisedInput): RecipeInterface {
  const store = engine.storage.invitations;
  const userRoles = () => engine.getRecipe<UserRolesRecipe>(USERROLES_RECIPE_ID);

  return {
    async createInvitation(input) {
      const lifetimeMs = lifetimeMsOf(input.lifetimeSeconds ?? config.invitationLifetimeSeconds);
      await engine.assertTenantExists(input.tenantId);
      const invitee = normaliseInvitee(input);
      if ("status" in invitee) return invitee;
      const roles = [...new Set(input.roles ?? [])];
      // Refused now rather than discovered at sign-up, when nobody is there to fix it.
      if (roles.length > 0 && userRoles() === undefined) return { status: "USER_ROLES_NOT_INITIALISED_ERROR" };
      for (const role of roles) if (!(await engine.storage.roles.roleExists(role))) return { status: "UNKNOWN_ROLE_ERROR", role };

      const now = engine.clock.now();
      const invitation = {
        invitationId: engine.random.uuid(),
        tenantId: input.tenantId,
        identifier: invitee.identifier,
        roles,
        createdAt: now,
        expiresAt: now + lifetimeMs,
        acceptedAt: null,
        acceptedByUserId: null,
      };
      // Stored before the link exists: a magic link is only ever issued for a stored invitation.
      await store.create(invitation);
      // A link of the invitation this one replaced must not keep working beside the new one.
      await withdrawMagicLinks(engine, invitee.identifier, input.tenantId, input.userContext);
      const link = await invitationLink(engine, invitee.identifier, input.tenantId, lifetimeMs, input.userContext);
      return { status: "OK", invitation, link };
    },

    async getInvitation({ tenantId, invitationId }) {
      const invitation = await store.get(tenantId, invitationId);
      return invitation === undefined ? { status: "UNKNOWN_INVITATION_ERROR" } : { status: "OK", invitation };
    },

    async listInvitations({ tenantId, includeAccepted, includeExpired }) {
      const invitations = await store.list(tenantId, { includeAccepted: includeAccepted === true, includeExpired: includeExpired === true }, engine.clock.now());
      return { status: "OK", invitations };
    },

    async revokeInvitation({ tenantId, invitationId, userContext }) {
      const invitation = await store.get(tenantId, invitationId);
      if (invitation === undefined) return { status: "OK", didInvitationExist: false };
      const didInvitationExist = await store.revoke(tenantId, invitationId);
      // The magic link would otherwise still create the account the admin just withdrew.
      if (invitation.acceptedAt === null) await withdrawMagicLinks(engine, invitation.identifier, tenantId, userContext);
      return { status: "OK", didInvitationExist };
    },

    async mayCreateAccount({ tenantId, identifier, userContext }) {
      // A tenant's own inviteOnly (multitenancy config) wins over the recipe's.
      const inviteOnly = (await engine.tenantSettings(tenantId, userContext)).inviteOnly ?? config.inviteOnly;
      if (!inviteOnly) return { allowed: true };
      const live = await store.findLive(tenantId, identifier, engine.clock.now());
      return live !== undefined ? { allowed: true } : { allowed: false, message: config.message };
    },

    async acceptInvitation({ tenantId, identifier, userId, userContext }) {
      const invitation = await store.accept(tenantId, identifier, userId, engine.clock.now());
      if (invitation === undefined) return { status: "NO_LIVE_INVITATION_ERROR" };
      // An invitation admits one account: its link must not make a second one by another method.
      await withdrawMagicLinks(engine, invitation.identifier, tenantId, userContext);
      const roles = userRoles()?.recipeInterfaceImpl;
      if (roles === undefined) {
        if (invitation.roles.length > 0) engine.log.warn(`Invitation ${invitation.invitationId} carries roles but UserRoles is not in recipeList; user ${userId} got none`);
        return { status: "OK", invitation };
      }
      for (const role of invitation.roles) {
        const result = await roles.addRoleToUser({ tenantId, userId, role, userContext });
        // Deleted since the invitation was made: the account stays, without that role.
        if (result.status === "UNKNOWN_ROLE_ERROR") engine.log.warn(`Invitation ${invitation.invitationId}: role "${role}" no longer exists; not assigned to user ${userId}`);
      }
      return { status: "OK", invitation };
    },
  };
}
