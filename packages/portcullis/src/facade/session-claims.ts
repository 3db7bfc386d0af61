export { SessionClaim } from "../recipes/session/claims/session-claim.js";
export { PrimitiveClaim } from "../recipes/session/claims/primitive-claim.js";
export { PrimitiveArrayClaim } from "../recipes/session/claims/primitive-array-claim.js";
export { BooleanClaim } from "../recipes/session/claims/boolean-claim.js";
export type { SessionClaimValidator, ClaimValidationError, ClaimValidationResult } from "../recipes/session/types.js";
