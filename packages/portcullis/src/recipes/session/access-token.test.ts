import { describe, expect, it } from "vitest";
import { PROTECTED_PROPS, stripProtectedProps } from "./access-token.js";

describe("stripProtectedProps", () => {
  it("drops every protected claim and keeps the app's claims, without touching the input", () => {
    const payload = Object.freeze({ ...Object.fromEntries(PROTECTED_PROPS.map((key) => [key, "x"])), role: "admin", nested: { a: 1 } });
    const stripped = stripProtectedProps(payload);
    expect(stripped).toEqual({ role: "admin", nested: { a: 1 } });
    expect(Object.isFrozen(stripped)).toBe(false);
    expect(payload).toHaveProperty("sub", "x");
  });

  it("keeps a payload's own __proto__ key as data, never as the copy's prototype", () => {
    const payload = JSON.parse('{"sub":"u","__proto__":{"polluted":true},"role":"r"}') as Record<string, unknown>;
    const stripped = stripProtectedProps(payload);
    expect(Object.getPrototypeOf(stripped)).toBe(Object.prototype);
    expect((stripped as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(stripped).sort()).toEqual(["__proto__", "role"]);
    expect(Object.getOwnPropertyDescriptor(stripped, "__proto__")?.value).toEqual({ polluted: true });
  });
});
