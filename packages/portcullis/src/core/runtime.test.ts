import { afterEach, describe, expect, it, vi } from "vitest";
import { consoleLogger } from "./runtime.js";

describe("consoleLogger", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints fields as one line of JSON and keeps errors as errors", () => {
    const lines: unknown[][] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args));
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(args));
    const error = new Error("boom");
    consoleLogger.info("auth event sign-up", { event: { type: "sign-up", at: 1 } });
    consoleLogger.error("it failed", error);
    expect(lines).toEqual([
      ["[portcullis] auth event sign-up", '{"event":{"type":"sign-up","at":1}}'],
      ["[portcullis] it failed", error],
    ]);
  });
});
