import { PortcullisError } from "../../core/errors.js";

export default class EmailPasswordError extends PortcullisError {
  static FIELD_ERROR = "FIELD_ERROR" as const;

  constructor(
    options: { type: "FIELD_ERROR"; payload: { id: string; error: string }[]; message: string } | { type: "BAD_INPUT_ERROR"; message: string },
  ) {
    super(options.type === "BAD_INPUT_ERROR" ? { ...options, payload: undefined } : options);
    this.fromRecipe = "emailpassword";
  }
}
