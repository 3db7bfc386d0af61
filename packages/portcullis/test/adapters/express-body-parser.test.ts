/** Errors that express.json() raises before Portcullis sees the request are answered as JSON, never Express's HTML stack page. */
import { describe, expect, it } from "vitest";
import { sqliteFileDatabase } from "../helpers/databases.js";
import { useTestApp } from "../helpers/test-app.js";

describe("express.json() errors", () => {
  const testApp = useTestApp(sqliteFileDatabase);

  it.each([
    ["an unsupported charset", { "content-type": "application/json; charset=latin1" }, 415],
    ["an unsupported content encoding", { "content-type": "application/json", "content-encoding": "br-nope" }, 415],
  ])("answers %s with its 4xx status and a JSON message", async (_what, headers, status) => {
    const response = await fetch(`${testApp().baseUrl}/auth/signin`, { method: "POST", headers, body: "{}" });
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ message: "Request body could not be read" });
  });
});
