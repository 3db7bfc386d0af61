/**
 * The error type of the SuperTokens-shaped API. Expected outcomes are typed status results;
 * these errors are for malformed input (400) and session problems (401/403), which the
 * framework error handler turns into the exact FDI response bodies.
 */
const ERROR_MAGIC = "ndskajfasndlfkj435234krjdsa";

export class PortcullisError extends Error {
  static BAD_INPUT_ERROR = "BAD_INPUT_ERROR" as const;
  static UNKNOWN_ERROR = "UNKNOWN_ERROR" as const;
  static PLUGIN_ERROR = "PLUGIN_ERROR" as const;

  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK's public field type
  payload: any;
  fromRecipe: string | undefined;
  private errMagic: string;

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK's public constructor type
    options: { message: string; payload?: any; type: string } | { message: string; type: "BAD_INPUT_ERROR"; payload: undefined },
  ) {
    super(options.message);
    this.type = options.type;
    this.payload = options.payload;
    this.fromRecipe = undefined;
    this.errMagic = ERROR_MAGIC;
  }

  static isErrorFromSuperTokens(obj: unknown): obj is PortcullisError {
    return typeof obj === "object" && obj !== null && (obj as { errMagic?: unknown }).errMagic === ERROR_MAGIC;
  }
}

/** Bodies larger than the limit are refused before parsing (413), so a huge body cannot exhaust memory. */
export const PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE" as const;

export function payloadTooLarge(limitBytes: number): PortcullisError {
  return new PortcullisError({ message: `Request body larger than ${limitBytes} bytes`, type: PAYLOAD_TOO_LARGE });
}

export function badInput(message: string): PortcullisError {
  return new PortcullisError({ message, type: "BAD_INPUT_ERROR", payload: undefined });
}

/** Thrown when a request names a tenant that does not exist. Answered with 400. */
export class UnknownTenantError extends Error {
  constructor(readonly tenantId: string) {
    super(`Tenant not found: ${tenantId}`);
  }
}
