/**
 * The `emailDelivery` / `smsDelivery` rule shared by both channels: the configured service (or the
 * recipe's fallback), with the app's override applied on top, checked at init so a bad override
 * fails at start-up rather than on the first message.
 */
export function resolveDelivery<D extends object>(
  input: { service?: D | undefined; override?: ((original: D) => D) | undefined } | undefined,
  fallback: D,
  configKey: "emailDelivery" | "smsDelivery",
  method: keyof D & string,
): D {
  const original = input?.service ?? fallback;
  const resolved = input?.override ? input.override(original) : original;
  if (typeof (resolved as Record<string, unknown> | undefined)?.[method] !== "function") {
    throw new TypeError(`${configKey}.override must return an object with a ${method} function`);
  }
  return resolved;
}
