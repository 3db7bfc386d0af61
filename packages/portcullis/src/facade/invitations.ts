import { makeUserContext } from "../core/user-context.js";
import { INVITATIONS_RECIPE_ID, initInvitations, type InvitationsRecipe } from "../recipes/invitations/invitations-recipe.js";
import type { Invitee, RecipeInterface } from "../recipes/invitations/types.js";
import { getDefaultInstance } from "./default-instance.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- userContext mirrors the SDK's public type */

const implementation = (): RecipeInterface => getDefaultInstance().engine.requireRecipe<InvitationsRecipe>(INVITATIONS_RECIPE_ID).recipeInterfaceImpl;
const context = (userContext: Record<string, any> | undefined) => makeUserContext(userContext, getDefaultInstance().engine.clock);

type Result<K extends keyof RecipeInterface> = ReturnType<RecipeInterface[K]>;

export type CreateInvitationInput = Invitee & {
  tenantId: string;
  /** Roles the new account gets in the tenant; they must exist (UserRoles). */
  roles?: string[];
  /** Default: the recipe's invitationLifetimeSeconds (7 days). */
  lifetimeSeconds?: number;
  userContext?: Record<string, any>;
};

/** Invite-only sign-up and invitations, over the default instance (an instance of your own: `auth.getRecipe("invitations")`). */
export default class InvitationsWrapper {
  static init = initInvitations;

  /**
   * @example
   * const { status, link } = await Invitations.createInvitation({ tenantId: "public", email: "ada@example.com", roles: ["member"] });
   */
  static createInvitation(input: CreateInvitationInput): Result<"createInvitation"> {
    const { userContext, ...rest } = input;
    return implementation().createInvitation({ ...rest, userContext: context(userContext) });
  }

  static getInvitation(input: { tenantId: string; invitationId: string; userContext?: Record<string, any> }): Result<"getInvitation"> {
    return implementation().getInvitation({ tenantId: input.tenantId, invitationId: input.invitationId, userContext: context(input.userContext) });
  }

  static listInvitations(input: { tenantId: string; includeAccepted?: boolean; includeExpired?: boolean; userContext?: Record<string, any> }): Result<"listInvitations"> {
    return implementation().listInvitations({
      tenantId: input.tenantId,
      includeAccepted: input.includeAccepted,
      includeExpired: input.includeExpired,
      userContext: context(input.userContext),
    });
  }

  static revokeInvitation(input: { tenantId: string; invitationId: string; userContext?: Record<string, any> }): Result<"revokeInvitation"> {
    return implementation().revokeInvitation({ tenantId: input.tenantId, invitationId: input.invitationId, userContext: context(input.userContext) });
  }
}

export const init = InvitationsWrapper.init;
export const createInvitation = InvitationsWrapper.createInvitation;
export const getInvitation = InvitationsWrapper.getInvitation;
export const listInvitations = InvitationsWrapper.listInvitations;
export const revokeInvitation = InvitationsWrapper.revokeInvitation;
export type { APIInterface, CreateInvitationResult, Invitation, Invitee, RecipeInterface, TypeInput } from "../recipes/invitations/types.js";
