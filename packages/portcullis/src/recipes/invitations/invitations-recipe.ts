import { applyOverride } from "../../core/override.js";
import type { Engine, RecipeModule, RouteDefinition, SignUpGate } from "../../engine/types.js";
import { createInvitationsRecipeImplementation } from "./recipe-implementation.js";
import type { RecipeInterface, TypeInput, TypeNormalisedInput } from "./types.js";

export const INVITATIONS_RECIPE_ID = "invitations";
export const DEFAULT_INVITATION_LIFETIME_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_INVITE_ONLY_MESSAGE = "Sign up is by invitation only. Please contact the admin.";

function normaliseConfig(input: TypeInput | undefined): TypeNormalisedInput {
  const lifetime = input?.invitationLifetimeSeconds ?? DEFAULT_INVITATION_LIFETIME_SECONDS;
  if (!(Number.isFinite(lifetime) && lifetime > 0)) throw new Error(`Invitations invitationLifetimeSeconds must be a positive number, got ${String(lifetime)}`);
  return {
    inviteOnly: input?.inviteOnly ?? true,
    invitationLifetimeSeconds: lifetime,
    message: input?.message ?? DEFAULT_INVITE_ONLY_MESSAGE,
  };
}

/**
 * Invite-only sign-up as one recipe: it is the engine's sign-up gate, which every login recipe
 * consults before creating an account, so one setting covers every sign-in method, present and
 * future. Signing in to an existing account is never gated.
 */
export class InvitationsRecipe implements RecipeModule {
  readonly recipeId = INVITATIONS_RECIPE_ID;
  readonly config: TypeNormalisedInput;
  readonly recipeInterfaceImpl: RecipeInterface;

  /** Goes through the (overridable) functions, so an override of mayCreateAccount is the policy. */
  readonly signUpGate: SignUpGate = {
    mayCreateAccount: (account) => this.recipeInterfaceImpl.mayCreateAccount(account),
    accountCreated: async (account) => {
      // Also without inviteOnly: an invitation still carries its roles to an open sign-up.
      await this.recipeInterfaceImpl.acceptInvitation(account);
    },
  };

  constructor(
    readonly engine: Engine,
    input: TypeInput | undefined,
  ) {
    this.config = normaliseConfig(input);
    this.recipeInterfaceImpl = applyOverride(createInvitationsRecipeImplementation(engine, this.config), input?.override?.functions);
  }

  getRoutes(): RouteDefinition[] {
    return [];
  }
}

export function initInvitations(config?: TypeInput): (engine: Engine) => InvitationsRecipe {
  return (engine) => new InvitationsRecipe(engine, config);
}
