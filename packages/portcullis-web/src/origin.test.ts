import { describe, expect, it } from "vitest";
import { originOf } from "./session-transport.js";

describe("originOf", () => {
  it("agrees with URL.origin on the forms apps pass", () => {
    for (const url of ["https://api.example.com", "https://API.Example.com/auth/", "http://localhost:3001/x?y#z", "https://api.example.com:443/a", "http://h:80", "https://u:p@h.example:8443/p"]) {
      expect(originOf(url), url).toBe(new URL(url).origin);
    }
  });

  it("is undefined for relative or malformed URLs", () => {
    expect(originOf("/auth")).toBeUndefined();
    expect(originOf("api.example.com")).toBeUndefined();
    expect(originOf("")).toBeUndefined();
  });
});
