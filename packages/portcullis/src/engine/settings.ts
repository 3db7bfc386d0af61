import type { CoreSettings } from "./types.js";

export const DEFAULT_CORE_SETTINGS: CoreSettings = {
  accessTokenValidity: 900,
  refreshTokenValidity: 144000,
  sessionAbsoluteLifetime: 43_200,
  accessTokenSigningKeyUpdateInterval: 168,
  passwordResetTokenLifetime: 3_600_000,
  passwordlessCodeLifetime: 600_000,
  emailVerificationTokenLifetime: 86_400_000,
  passwordlessMaxCodeInputAttempts: 5,
};

export function normaliseCoreSettings(input: Partial<CoreSettings> | undefined): CoreSettings {
  const settings = { ...DEFAULT_CORE_SETTINGS, ...input };
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new Error(`core.${key} must be a positive number, got ${String(value)}`);
    }
  }
  return settings;
}
