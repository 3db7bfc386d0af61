import { describe, expect, it } from "vitest";
import { FetchRequest } from "../framework/fetch/fetch-request.js";
import { clockOf, getRequestFromUserContext, makeRequestUserContext } from "./user-context.js";
import { systemClock, type Clock } from "./runtime.js";

describe("makeRequestUserContext", () => {
  const request = new FetchRequest(new Request("http://localhost/me"));
  const clock: Clock = { now: () => 42 };

  it("carries the request and the instance's clock when the caller brought no context", () => {
    const context = makeRequestUserContext(request, undefined, clock);
    expect(getRequestFromUserContext(context)).toBe(request);
    expect(clockOf(context).now()).toBe(42);
  });

  it("keeps the caller's own keys and defaults, and a clock the caller's context already had", () => {
    const callerClock: Clock = { now: () => 7 };
    const input = { tenantHint: "t1", _default: { clock: callerClock, extra: true } };
    const context = makeRequestUserContext(request, input, clock);
    expect(context).toBe(input);
    expect(context["tenantHint"]).toBe("t1");
    expect(clockOf(context).now()).toBe(7);
    expect((context["_default"] as { extra?: boolean }).extra).toBe(true);
    expect(getRequestFromUserContext(context)).toBe(request);
  });

  it("falls back to the system clock when neither side has one", () => {
    expect(clockOf(makeRequestUserContext(request, undefined, undefined))).toBe(systemClock);
  });
});
