import type { OverrideableBuilder } from "../../core/override.js";
import type { UserContext } from "../../core/user-context.js";
import type { AccountIdentifier, InvitationRecord } from "../../storage/storage.js";

/** An invitation as the functions return it: the stored record, identifier normalised. */
export type Invitation = InvitationRecord;

/** Who is invited: exactly one of an email or a phone number. */
export type Invitee = { email: string; phoneNumber?: undefined } | { phoneNumber: string; email?: undefined };

export type CreateInvitationResult =
  /** `link` signs the invitee in (a passwordless magic link) or opens the sign-up page; you deliver it. */
  | { status: "OK"; invitation: Invitation; link: string }
  | { status: "INVALID_EMAIL_ERROR" }
  | { status: "INVALID_PHONE_NUMBER_ERROR" }
  /** A role of `roles` does not exist (create it with UserRoles.createNewRoleOrAddPermissions first). */
  | { status: "UNKNOWN_ROLE_ERROR"; role: string }
  /** `roles` were given but UserRoles.init() is not in recipeList, so nothing could assign them. */
  | { status: "USER_ROLES_NOT_INITIALISED_ERROR" };

export type SignUpDecision = { allowed: true } | { allowed: false; message: string };

export type RecipeInterface = {
  /**
   * Invites an email or phone number into a tenant; a pending invitation of the same person in
   * that tenant is replaced. Inviting someone who already has an account is harmless: they sign
   * in as before, and the invitation only admits a new account (another login method).
   */
  createInvitation(
    input: Invitee & { tenantId: string; roles?: string[] | undefined; lifetimeSeconds?: number | undefined; userContext: UserContext },
  ): Promise<CreateInvitationResult>;
  getInvitation(input: { tenantId: string; invitationId: string; userContext: UserContext }): Promise<{ status: "OK"; invitation: Invitation } | { status: "UNKNOWN_INVITATION_ERROR" }>;
  /** Live invitations newest first; accepted and expired ones on request. */
  listInvitations(input: {
    tenantId: string;
    includeAccepted?: boolean | undefined;
    includeExpired?: boolean | undefined;
    userContext: UserContext;
  }): Promise<{ status: "OK"; invitations: Invitation[] }>;
  /** Deletes the invitation; its magic link stops working. An account already made through it stays. */
  revokeInvitation(input: { tenantId: string; invitationId: string; userContext: UserContext }): Promise<{ status: "OK"; didInvitationExist: boolean }>;
  /** The sign-up gate: whether a login recipe may create this account. Override it for a policy of your own. */
  mayCreateAccount(input: { recipeId: string; tenantId: string; identifier: AccountIdentifier; userContext: UserContext }): Promise<SignUpDecision>;
  /** Called once the account exists: marks the live invitation accepted and assigns its roles. */
  acceptInvitation(input: {
    tenantId: string;
    identifier: AccountIdentifier;
    userId: string;
    userContext: UserContext;
  }): Promise<{ status: "OK"; invitation: Invitation } | { status: "NO_LIVE_INVITATION_ERROR" }>;
};

/** The recipe has no HTTP routes: invitations are made by your admin code, not by the frontend. */
export type APIInterface = Record<string, never>;

export type TypeInput = {
  /** Default true: sign-up needs a live invitation, whatever the login method. False keeps sign-up open (invitations still carry roles). */
  inviteOnly?: boolean;
  /** How long an invitation (and its magic link) lives. Default 7 days. */
  invitationLifetimeSeconds?: number;
  /** What a refused sign-up is told (a GENERAL_ERROR the frontend shows). */
  message?: string;
  override?: {
    functions?: (originalImplementation: RecipeInterface, builder: OverrideableBuilder<RecipeInterface>) => RecipeInterface;
  };
};

export type TypeNormalisedInput = {
  inviteOnly: boolean;
  invitationLifetimeSeconds: number;
  message: string;
};
