import { badInput } from "../../core/errors.js";
import { isPlainObject } from "../../core/json.js";
import { isPasswordTooLong, PASSWORD_TOO_LONG_MESSAGE } from "../emailpassword/validators.js";

export type FormFieldValue = { id: "phoneNumber" | "password"; value: string };
export type FieldErrors = { id: string; error: string }[];
type FieldCheck = (value: string) => Promise<string | undefined>;

const FIELD_IDS = ["phoneNumber", "password"] as const;

/**
 * The `formFields` of sign-up and sign-in, in the SDK's shape: malformed input is a 400 with the
 * SDK's messages; a missing or failing field is a field error, all of them collected.
 */
export async function parseFormFields(
  raw: unknown,
  checks: Record<FormFieldValue["id"], FieldCheck>,
): Promise<{ status: "OK"; formFields: FormFieldValue[] } | { status: "FIELD_ERROR"; formFields: FieldErrors }> {
  if (raw === undefined) throw badInput("Missing input param: formFields");
  if (!Array.isArray(raw)) throw badInput("formFields must be an array");
  const values = new Map<string, string>();
  for (const item of raw as unknown[]) {
    if (!isPlainObject(item)) throw badInput("All elements of formFields must be an object");
    const id = item["id"];
    const value = item["value"];
    if (typeof id !== "string" || value === undefined) throw badInput("All elements of formFields must contain an 'id' and 'value' field");
    if (!(FIELD_IDS as readonly string[]).includes(id) || values.has(id)) throw badInput("Are you sending too many formFields?");
    if (typeof value !== "string") throw badInput(`${id} value must be a string`);
    if (id === "password" && isPasswordTooLong(value)) throw badInput(PASSWORD_TOO_LONG_MESSAGE);
    values.set(id, id === "phoneNumber" ? value.trim() : value);
  }
  const errors: FieldErrors = [];
  const formFields: FormFieldValue[] = [];
  for (const id of FIELD_IDS) {
    const value = values.get(id);
    if (value === undefined || value === "") {
      errors.push({ id, error: "Field is not optional" });
      continue;
    }
    const error = await checks[id](value);
    if (error !== undefined) errors.push({ id, error });
    formFields.push({ id, value });
  }
  return errors.length > 0 ? { status: "FIELD_ERROR", formFields: errors } : { status: "OK", formFields };
}

/** A required string field of a JSON body; anything else is a 400. */
export function requiredString(body: Record<string, unknown>, field: string, maxLength: number): string {
  const value = body[field];
  if (value === undefined || value === null) throw badInput(`Please provide the ${field}`);
  if (typeof value !== "string") throw badInput(`${field} must be a string`);
  if (value.length > maxLength) throw badInput(`${field} must be at most ${maxLength} characters`);
  return value;
}
