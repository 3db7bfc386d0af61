import type { UserContext } from "../../core/user-context.js";
import type { NormalisedFormField, TypeInputFormField } from "./types.js";

// The SDK's default email pattern, so the same addresses are accepted and refused.
const EMAIL_PATTERN =
  /^(([^<>()[\]\\.,;:\s@"]+(\.[^<>()[\]\\.,;:\s@"]+)*)|(".+"))@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))$/;

/** Refused before any hashing, whatever the configured validators say: hashing cost must not be client-controlled. */
export const MAX_PASSWORD_INPUT_BYTES = 1024;
export const PASSWORD_TOO_LONG_MESSAGE = `Password must be at most ${MAX_PASSWORD_INPUT_BYTES} bytes`;

export async function defaultEmailValidator(value: unknown): Promise<string | undefined> {
  if (typeof value !== "string") return "Development bug: Please make sure the email field yields a string";
  return EMAIL_PATTERN.test(value) ? undefined : "Email is invalid";
}

/** The SDK's default rules and strings: the official UIs translate these exact messages. */
export async function defaultPasswordValidator(value: unknown): Promise<string | undefined> {
  if (typeof value !== "string") return "Development bug: Please make sure the password field yields a string";
  if (value.length < 8) return "Password must contain at least 8 characters, including a number";
  if (value.length >= 100) return "Password's length must be lesser than 100 characters";
  if (!/[a-zA-Z]/.test(value)) return "Password must contain at least one alphabet";
  if (!/[0-9]/.test(value)) return "Password must contain at least one number";
  return undefined;
}

export function isPasswordTooLong(password: string): boolean {
  return Buffer.byteLength(password, "utf8") > MAX_PASSWORD_INPUT_BYTES;
}

const acceptAnything = async (): Promise<string | undefined> => undefined;

export function normaliseSignUpFormFields(input: TypeInputFormField[] | undefined): NormalisedFormField[] {
  const fields = input ?? [];
  const normalised: NormalisedFormField[] = fields.map((field) => {
    if (field.id === "email") return { id: "email", validate: field.validate ?? defaultEmailValidator, optional: false };
    if (field.id === "password") return { id: "password", validate: field.validate ?? defaultPasswordValidator, optional: false };
    return { id: field.id, validate: field.validate ?? acceptAnything, optional: field.optional ?? false };
  });
  if (!normalised.some((f) => f.id === "password")) normalised.push({ id: "password", validate: defaultPasswordValidator, optional: false });
  if (!normalised.some((f) => f.id === "email")) normalised.push({ id: "email", validate: defaultEmailValidator, optional: false });
  return normalised;
}

export function fieldById(fields: NormalisedFormField[], id: string): NormalisedFormField {
  const field = fields.find((f) => f.id === id);
  if (field === undefined) throw new Error(`Form field ${id} is not configured`);
  return field;
}

export type FieldValidator = (value: unknown, tenantId: string, userContext: UserContext) => Promise<string | undefined>;
