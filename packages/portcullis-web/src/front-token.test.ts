import { describe, expect, it } from "vitest";
import { decodeFrontToken } from "./front-token.js";

/** What the server sends: Buffer.toString("base64") of the UTF-8 JSON (FDI §2.3). */
function encode(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes));
}

describe("decodeFrontToken", () => {
  it("decodes uid, ate and the payload", () => {
    const token = { uid: "user-1", ate: 1_700_000_000_000, up: { sub: "user-1", iat: 1_699_999_000, "st-ev": { v: false, t: 1 } } };
    expect(decodeFrontToken(encode(token))).toEqual(token);
  });

  it("keeps non-ASCII payload values intact (UTF-8 inside standard base64)", () => {
    const token = { uid: "ü-1", ate: 1, up: { name: "Zoë 東京 🚪" } };
    expect(decodeFrontToken(encode(token))).toEqual(token);
  });

  it("answers undefined for remove, empty, garbage and wrong shapes instead of throwing", () => {
    expect(decodeFrontToken("remove")).toBeUndefined();
    expect(decodeFrontToken("")).toBeUndefined();
    expect(decodeFrontToken(null)).toBeUndefined();
    expect(decodeFrontToken("%%%not base64")).toBeUndefined();
    expect(decodeFrontToken(btoa("not json"))).toBeUndefined();
    expect(decodeFrontToken(encode({ uid: 1, ate: 1, up: {} }))).toBeUndefined();
    expect(decodeFrontToken(encode({ uid: "u", ate: "soon", up: {} }))).toBeUndefined();
    expect(decodeFrontToken(encode({ uid: "u", ate: 1, up: [] }))).toBeUndefined();
    expect(decodeFrontToken(encode(["u", 1, {}]))).toBeUndefined();
    // Invalid UTF-8 bytes: rejected, not decoded into replacement characters.
    expect(decodeFrontToken(btoa("\xff\xfe{}"))).toBeUndefined();
  });
});
