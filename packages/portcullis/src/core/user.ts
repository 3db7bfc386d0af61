import type { JSONObject } from "./json.js";
import { normaliseEmail, normalisePhoneNumber } from "./normalise.js";
import { RecipeUserId } from "./recipe-user-id.js";
import type { StoredUser } from "../storage/storage.js";

type LoginRecipeId = "emailpassword" | "thirdparty" | "passwordless" | "webauthn" | "phonepassword";

export interface RecipeLevelUser {
  recipeId: LoginRecipeId;
  recipeUserId: RecipeUserId;
  tenantIds: string[];
  email?: string;
  phoneNumber?: string;
  thirdParty?: { id: string; userId: string };
  webauthn?: { credentialIds: string[] };
  verified: boolean;
  timeJoined: number;
}

export interface UserWithoutHelperFunctions {
  id: string;
  timeJoined: number;
  isPrimaryUser: boolean;
  emails: string[];
  phoneNumbers: string[];
  tenantIds: string[];
  thirdParty: { id: string; userId: string }[];
  webauthn: { credentialIds: string[] };
  loginMethods: {
    recipeId: LoginRecipeId;
    recipeUserId: string;
    tenantIds: string[];
    email?: string;
    phoneNumber?: string;
    thirdParty?: { id: string; userId: string };
    webauthn?: { credentialIds: string[] };
    verified: boolean;
    timeJoined: number;
  }[];
}

export class LoginMethod implements RecipeLevelUser {
  readonly recipeId: LoginRecipeId;
  readonly recipeUserId: RecipeUserId;
  readonly tenantIds: string[];
  readonly email?: string;
  readonly phoneNumber?: string;
  readonly thirdParty?: { id: string; userId: string };
  readonly webauthn?: { credentialIds: string[] };
  readonly verified: boolean;
  readonly timeJoined: number;

  constructor(loginMethod: UserWithoutHelperFunctions["loginMethods"][number]) {
    this.recipeId = loginMethod.recipeId;
    this.recipeUserId = new RecipeUserId(loginMethod.recipeUserId);
    this.tenantIds = loginMethod.tenantIds;
    if (loginMethod.email !== undefined) this.email = loginMethod.email;
    if (loginMethod.phoneNumber !== undefined) this.phoneNumber = loginMethod.phoneNumber;
    if (loginMethod.thirdParty !== undefined) this.thirdParty = loginMethod.thirdParty;
    if (loginMethod.webauthn !== undefined) this.webauthn = loginMethod.webauthn;
    this.verified = loginMethod.verified;
    this.timeJoined = loginMethod.timeJoined;
  }

  hasSameEmailAs(email: string | undefined): boolean {
    return email !== undefined && this.email !== undefined && normaliseEmail(email) === this.email;
  }

  hasSamePhoneNumberAs(phoneNumber: string | undefined): boolean {
    return (
      phoneNumber !== undefined &&
      this.phoneNumber !== undefined &&
      normalisePhoneNumber(phoneNumber) === this.phoneNumber
    );
  }

  hasSameThirdPartyInfoAs(thirdParty?: { id: string; userId: string }): boolean {
    return (
      thirdParty !== undefined &&
      this.thirdParty !== undefined &&
      this.thirdParty.id.trim() === thirdParty.id.trim() &&
      this.thirdParty.userId.trim() === thirdParty.userId.trim()
    );
  }

  hasSameWebauthnInfoAs(webauthn?: { credentialId: string }): boolean {
    return webauthn !== undefined && this.webauthn !== undefined && this.webauthn.credentialIds.includes(webauthn.credentialId);
  }

  toJson(): JSONObject {
    return {
      recipeId: this.recipeId,
      recipeUserId: this.recipeUserId.getAsString(),
      tenantIds: this.tenantIds,
      email: this.email,
      phoneNumber: this.phoneNumber,
      thirdParty: this.thirdParty,
      webauthn: this.webauthn,
      verified: this.verified,
      timeJoined: this.timeJoined,
    };
  }
}

export class User {
  readonly id: string;
  readonly isPrimaryUser: boolean;
  readonly tenantIds: string[];
  readonly emails: string[];
  readonly phoneNumbers: string[];
  readonly thirdParty: { id: string; userId: string }[];
  readonly webauthn: { credentialIds: string[] };
  readonly loginMethods: LoginMethod[];
  readonly timeJoined: number;

  constructor(user: UserWithoutHelperFunctions) {
    this.id = user.id;
    this.isPrimaryUser = user.isPrimaryUser;
    this.tenantIds = user.tenantIds;
    this.emails = user.emails;
    this.phoneNumbers = user.phoneNumbers;
    this.thirdParty = user.thirdParty;
    this.webauthn = user.webauthn;
    this.timeJoined = user.timeJoined;
    this.loginMethods = user.loginMethods.map((m) => new LoginMethod(m));
  }

  static fromApi(apiUser: UserWithoutHelperFunctions): User {
    return new User(apiUser);
  }

  toJson(): JSONObject {
    return {
      id: this.id,
      isPrimaryUser: this.isPrimaryUser,
      tenantIds: this.tenantIds,
      emails: this.emails,
      phoneNumbers: this.phoneNumbers,
      thirdParty: this.thirdParty,
      webauthn: this.webauthn,
      loginMethods: this.loginMethods.map((m) => m.toJson()),
      timeJoined: this.timeJoined,
    };
  }
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

/** Storage rows → the public model. Without account linking every user has one login method. */
export function userFromStored(stored: StoredUser): User {
  return new User({
    id: stored.id,
    timeJoined: stored.timeJoined,
    isPrimaryUser: false,
    tenantIds: stored.tenantIds,
    emails: unique(stored.loginMethods.map((m) => m.email)),
    phoneNumbers: unique(stored.loginMethods.map((m) => m.phoneNumber)),
    thirdParty: [],
    webauthn: { credentialIds: [] },
    loginMethods: stored.loginMethods.map((m) => ({
      recipeId: m.recipeId,
      recipeUserId: m.recipeUserId,
      tenantIds: m.tenantIds,
      ...(m.email !== undefined ? { email: m.email } : {}),
      ...(m.phoneNumber !== undefined ? { phoneNumber: m.phoneNumber } : {}),
      verified: m.verified,
      timeJoined: m.timeJoined,
    })),
  });
}
