/** Counters whose window closed are deleted (at most hourly per instance), not only ignored. */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { credentials, useSqliteTestApp } from "./helpers/test-app.js";

describe("counter sweep", () => {
  const app = useSqliteTestApp();
  const counterStarts = () => {
    const db = new Database(app().databaseUrl.slice("sqlite:".length), { readonly: true });
    try {
      return (db.prepare("select window_started_at as started from portcullis_counters").all() as { started: number }[]).map((row) => Number(row.started));
    } finally {
      db.close();
    }
  };

  it("deletes the rows of windows that closed, once the longest window has passed", async () => {
    const client = app().client({ rid: "emailpassword" });
    await client.post("/auth/signup", credentials("sweep@example.com", "password123"));
    const first = app().clock.now();
    await client.post("/auth/signin", credentials("sweep@example.com", "wrong-password-1"));
    expect(counterStarts().length).toBeGreaterThan(0);
    expect(counterStarts().every((started) => started === first)).toBe(true);

    app().clock.advance(25 * 3_600_000);
    const later = app().clock.now();
    await client.post("/auth/signin", credentials("sweep@example.com", "wrong-password-2"));
    // Give the fire-and-forget sweep a moment to commit.
    for (let i = 0; i < 50 && counterStarts().some((started) => started === first); i++) await new Promise((r) => setTimeout(r, 10));
    const starts = counterStarts();
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((started) => started === later)).toBe(true);
  });
});
