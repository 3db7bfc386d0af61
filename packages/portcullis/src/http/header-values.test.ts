import { describe, expect, it } from "vitest";
import { nextHeaderValue } from "./header-values.js";

describe("nextHeaderValue", () => {
  it("replaces unless duplicates are allowed", () => {
    expect(nextHeaderValue("a", "b", false)).toBe("b");
    expect(nextHeaderValue(undefined, "b", true)).toBe("b");
    expect(nextHeaderValue("", "b", true)).toBe("b");
  });

  it("appends to the list once, ignoring spaces around the listed values", () => {
    expect(nextHeaderValue("front-token", "st-access-token", true)).toBe("front-token, st-access-token");
    expect(nextHeaderValue("front-token,  st-access-token", "st-access-token", true)).toBe("front-token,  st-access-token");
  });
});
