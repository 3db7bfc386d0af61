import { badInput } from "../../core/errors.js";
import { isPlainObject } from "../../core/json.js";
import { emailProblem } from "../../core/normalise.js";
import type { UserContext } from "../../core/user-context.js";
import EmailPasswordError from "./error.js";
import type { NormalisedFormField } from "./types.js";
import { isPasswordTooLong, PASSWORD_TOO_LONG_MESSAGE } from "./validators.js";

export type FormFieldValue = { id: string; value: unknown };

/**
 * Parses `formFields` the way the SDK does (same 400 messages), then validates them against the
 * configured fields, collecting every failure into one FIELD_ERROR.
 */
export async function parseAndValidateFormFields(
  configured: NormalisedFormField[],
  raw: unknown,
  tenantId: string,
  userContext: UserContext,
): Promise<FormFieldValue[]> {
  if (raw === undefined) throw badInput("Missing input param: formFields");
  if (!Array.isArray(raw)) throw badInput("formFields must be an array");
  const fields: FormFieldValue[] = [];
  for (const item of raw as unknown[]) {
    if (!isPlainObject(item)) throw badInput("All elements of formFields must be an object");
    if (typeof item["id"] !== "string" || item["value"] === undefined) {
      throw badInput("All elements of formFields must contain an 'id' and 'value' field");
    }
    const id = item["id"];
    let value = item["value"];
    if (id === "email" || id === "password") {
      if (typeof value !== "string") throw badInput(`${id} value must be a string`);
      if (id === "email") value = value.trim();
      if (id === "password" && isPasswordTooLong(value as string)) throw badInput(PASSWORD_TOO_LONG_MESSAGE);
    }
    fields.push({ id, value });
  }
  if (configured.length < fields.length) throw badInput("Are you sending too many formFields?");
  const errors: { id: string; error: string }[] = [];
  for (const field of configured) {
    const input = fields.find((f) => f.id === field.id);
    if (input === undefined || input.value === "") {
      if (!field.optional) errors.push({ id: field.id, error: "Field is not optional" });
      continue;
    }
    // Checked before the app's own validator, which cannot loosen it: no control characters, at most 254 characters.
    const problem = field.id === "email" && typeof input.value === "string" ? emailProblem(input.value) : undefined;
    const error = problem ?? (await field.validate(input.value, tenantId, userContext));
    if (error !== undefined) errors.push({ id: field.id, error });
  }
  if (errors.length > 0) throw new EmailPasswordError({ type: "FIELD_ERROR", payload: errors, message: "Error in input formFields" });
  return fields;
}

export function stringField(fields: FormFieldValue[], id: string): string {
  const value = fields.find((f) => f.id === id)?.value;
  if (typeof value !== "string") throw badInput(`${id} value must be a string`);
  return value;
}
