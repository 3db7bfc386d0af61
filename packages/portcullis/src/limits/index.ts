export { createLimiter, delayAfter, LOGIN_CODE_PURPOSE, NO_LIMITS, type AccountAttempt, type LimitDecision, type Limiter, type Refusal, type SecretCheckTicket } from "./limiter.js";
export { DEFAULT_LIMITS, longestWindowMs, normaliseLimits, type FailureThrottleInput, type LimitsInput, type LoginCodeLimitsInput, type NormalisedLimits, type RateCap, type SendCapsInput } from "./limits-config.js";
export { clientIp } from "./client-ip.js";
export { throttled } from "./throttled.js";
