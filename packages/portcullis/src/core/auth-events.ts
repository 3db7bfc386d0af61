/**
 * Security-relevant things that happened, as structured values. They carry ids, never secrets
 * (no passwords, tokens or codes) and no email addresses: an audit trail that is safe to ship.
 */
interface EventBase {
  /** Milliseconds since the epoch, from the instance's clock. */
  at: number;
  tenantId?: string;
}

export type AuthEvent = EventBase &
  (
    | { type: "sign-in.success"; recipeId: string; userId: string }
    | { type: "sign-in.failure"; recipeId: string; reason: "wrong-credentials" | "throttled" | "not-allowed"; userId?: string }
    | { type: "sign-up"; recipeId: string; userId: string }
    | { type: "password-reset.requested"; userId?: string }
    | { type: "password-reset.used"; userId: string }
    /** `userId` is the recipe user id whose email the link is for. */
    | { type: "email-verification.sent"; userId: string }
    | { type: "email-verification.verified"; userId: string }
    /** A signed-in user changed their password with the old one. */
    | { type: "password.changed"; recipeId: string; userId: string }
    | { type: "session.refresh-token-reuse"; sessionHandle: string; userId: string }
    /** Sign-out, password change or reset, theft response, or an app's call: the events before it say which. */
    | { type: "session.revoked"; sessionHandles: string[]; userId?: string }
    | { type: "throttle"; scope: string; decision: "delayed" | "refused"; retryAfterSeconds: number; userId?: string }
  );

export type AuthEventType = AuthEvent["type"];

/** Distributes over the union, so each event's own fields stay required. */
type WithoutTime<E> = E extends unknown ? Omit<E, "at"> : never;
export type AuthEventInput = WithoutTime<AuthEvent>;

/** The app's hook; it may be async. Its failures are logged and never affect the request. */
export type OnAuthEvent = (event: AuthEvent) => void | Promise<void>;
