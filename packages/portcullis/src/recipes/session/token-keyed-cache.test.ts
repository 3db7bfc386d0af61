import { describe, expect, it } from "vitest";
import { TokenKeyedCache } from "./token-keyed-cache.js";

const signature = "Qx7".repeat(120);
const token = (payload: string, tail = signature) => `eyJhbGciOiJSUzI1NiJ9.${payload}.${tail}`;

describe("TokenKeyedCache", () => {
  it("finds a token by its value, also when the string arrives as a fresh copy", () => {
    const cache = new TokenKeyedCache<string>(10);
    cache.set(token("alice"), "parsed alice");
    expect(cache.get(`${token("ali")}`.replace(".ali.", ".alice."))).toBe("parsed alice");
  });

  it("does not give a cached token's entry to another token that shares its signature tail", () => {
    const cache = new TokenKeyedCache<string>(10);
    cache.set(token("alice"), "parsed alice");
    expect(cache.get(token("mallory"))).toBeUndefined();
    expect(cache.get(token("alice", `x${signature.slice(1)}`))).toBeUndefined();
  });

  it("keeps at most maxEntries, dropping the oldest first", () => {
    const cache = new TokenKeyedCache<number>(3);
    for (let i = 0; i < 5; i++) cache.set(token("p", `${signature}${i}`), i);
    expect(cache.size).toBe(3);
    expect(cache.get(token("p", `${signature}0`))).toBeUndefined();
    expect(cache.get(token("p", `${signature}1`))).toBeUndefined();
    expect(cache.get(token("p", `${signature}4`))).toBe(4);
  });

  it("replaces an entry in place when its tail comes back, without evicting another", () => {
    const cache = new TokenKeyedCache<string>(2);
    cache.set(token("a", `${signature}1`), "one");
    cache.set(token("b", `${signature}2`), "two");
    cache.set(token("c", `${signature}2`), "three");
    expect(cache.size).toBe(2);
    expect(cache.get(token("a", `${signature}1`))).toBe("one");
    expect(cache.get(token("c", `${signature}2`))).toBe("three");
    expect(cache.get(token("b", `${signature}2`))).toBeUndefined();
  });

  it("handles tokens shorter than the tail", () => {
    const cache = new TokenKeyedCache<boolean>(2);
    cache.set("abc", false);
    expect(cache.get("abc")).toBe(false);
    expect(cache.get("abd")).toBeUndefined();
  });
});
