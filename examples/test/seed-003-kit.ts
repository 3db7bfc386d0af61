/**
 * What every framework's seed 003 test does the same way: header-mode calls (tokens in headers,
 * no cookie jar), email+password accounts to act as admin or member, the invite link read from
 * the development outbox, and the passwordless users of an address.
 */
import { expect } from "vitest";
import supertokens from "portcullis";
import { getDefaultInstance } from "portcullis/engine";
import { eventually } from "./helpers.js";

export function seed003Client(apiBase: () => string) {
  async function call(path: string, body: unknown, accessToken?: string) {
    const headers: Record<string, string> = { "content-type": "application/json", "st-auth-mode": "header" };
    if (accessToken !== undefined) headers["authorization"] = `Bearer ${accessToken}`;
    const response = await fetch(apiBase() + path, { method: "POST", headers, body: JSON.stringify(body) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // "Success" is plain text
    }
    return { status: response.status, headers: response.headers, body: parsed as any };
  }

  async function emailPasswordSignUp(email: string): Promise<{ userId: string; accessToken: string }> {
    const response = await call("/auth/signup", { formFields: [{ id: "email", value: email }, { id: "password", value: "password123" }] });
    expect(response.body.status).toBe("OK");
    return { userId: response.body.user.id, accessToken: response.headers.get("st-access-token") ?? "" };
  }

  async function emailPasswordSignIn(email: string): Promise<string> {
    const response = await call("/auth/signin", { formFields: [{ id: "email", value: email }, { id: "password", value: "password123" }] });
    expect(response.body.status).toBe("OK");
    return response.headers.get("st-access-token") ?? "";
  }

  return { call, emailPasswordSignUp, emailPasswordSignIn };
}

/** The magic link in the newest email to `recipient` (delivery to the outbox is asynchronous). */
export function inviteLinkTo(recipient: string): Promise<URL> {
  return eventually(
    async () => {
      for (const message of await getDefaultInstance().engine.outbox.list(50)) {
        const found = message.recipient === recipient ? /http:\/\/\S+\/auth\/verify\?\S+/.exec(message.textBody)?.[0] : undefined;
        if (found !== undefined) return new URL(found);
      }
      return undefined;
    },
    10_000,
    `an invite link to ${recipient}`,
  );
}

export const passwordlessUsers = async (email: string) =>
  (await supertokens.listUsersByAccountInfo("public", { email })).filter((user) => user.loginMethods.some((lM) => lM.recipeId === "passwordless"));
