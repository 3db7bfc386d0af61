/** The demo app's own routes answer malformed input with 400, never 500. */
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetDefaultInstance } from "portcullis/engine";
import { createDemoApp } from "../src/app.js";
import { closeServer, freePort, listen } from "./helpers.js";

let server: Server;
let base: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "portcullis-demo-"));
  const port = await freePort();
  server = await listen(createDemoApp({ port, database: `sqlite:${join(dataDir, "demo.db")}` }), port);
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await closeServer(server);
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("demo /change-password", () => {
  it("answers 400 to a signed-in request with no body, an empty body or wrong types", async () => {
    const signUp = await fetch(`${base}/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", "st-auth-mode": "header" },
      body: JSON.stringify({ formFields: [{ id: "email", value: "demo@example.com" }, { id: "password", value: "password123" }] }),
    });
    const authorization = `Bearer ${signUp.headers.get("st-access-token")}`;
    const attempts: RequestInit[] = [
      { method: "POST", headers: { authorization } },
      { method: "POST", headers: { authorization, "content-type": "application/json" }, body: "{}" },
      { method: "POST", headers: { authorization, "content-type": "application/json" }, body: JSON.stringify({ oldPassword: 1, newPassword: ["x"] }) },
      { method: "POST", headers: { authorization, "content-type": "text/plain" }, body: "oldPassword=a" },
    ];
    for (const init of attempts) {
      const response = await fetch(`${base}/change-password`, init);
      expect(response.status, String(init.body)).toBe(400);
      expect(await response.json()).toEqual({ message: "oldPassword and newPassword must be strings" });
    }
  });
});
