import { describe, expect, it } from "vitest";
import { loadDriver } from "./load-driver.js";

describe("loadDriver", () => {
  it("returns each driver's module.exports, as the static imports did", async () => {
    expect(typeof (await loadDriver("better-sqlite3"))).toBe("function");
    expect(typeof (await loadDriver("pg")).Pool).toBe("function");
    expect(typeof (await loadDriver("nodemailer")).createTransport).toBe("function");
    expect(typeof (await loadDriver("redis")).createClient).toBe("function");
  });
});
