import type { SessionClaimValidator } from "../types.js";
import { PrimitiveClaim } from "./primitive-claim.js";

type BooleanValidators = PrimitiveClaim<boolean>["validators"] & {
  isTrue: (maxAge?: number, id?: string) => SessionClaimValidator;
  isFalse: (maxAge?: number, id?: string) => SessionClaimValidator;
};

export class BooleanClaim extends PrimitiveClaim<boolean> {
  override validators: BooleanValidators;

  constructor(config: ConstructorParameters<typeof PrimitiveClaim<boolean>>[0]) {
    super(config);
    const base = this.hasValueValidator();
    this.validators = {
      hasValue: base,
      isTrue: (maxAge, id) => base(true, maxAge, id),
      isFalse: (maxAge, id) => base(false, maxAge, id),
    };
  }
}
