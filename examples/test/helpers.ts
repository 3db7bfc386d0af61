import type { Server } from "node:http";
import { createServer } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";

/** The system Chromium the browser tests drive; its absence fails the tests under CI=true, never skips them. */
export const CHROMIUM = "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}

/** Asks the OS for a free port. The demo needs the port before it listens (it is in apiDomain). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export function listen(app: { listen(port: number, callback: (error?: Error) => void): Server }, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error) => (error === undefined ? resolve(server) : reject(error)));
  });
}

export async function closeServer(server: Server | undefined): Promise<void> {
  if (server === undefined) return;
  // The browser keeps keep-alive connections open; without this close() would wait for them.
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * The page marks a result element data-status="pending" synchronously when an action starts, so
 * after a click this waits for *that* action's outcome, not a previous one.
 */
export async function resultOf(page: Page, id: string): Promise<{ status: string; text: string }> {
  const element = await page.waitForSelector(`#${id}[data-status]:not([data-status="pending"])`, { timeout: 15_000 });
  return { status: (await element.getAttribute("data-status")) ?? "", text: (await element.textContent()) ?? "" };
}

/** Polls until `check` returns a value (delivery to the outbox is asynchronous). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The outbox as /outbox.json lists it, newest first. */
export type OutboxEntry = { channel: string; recipient: string; textBody: string };

export async function outboxFor(base: string, recipient: string): Promise<OutboxEntry[]> {
  const messages = (await (await fetch(base + "/outbox.json")).json()) as OutboxEntry[];
  return messages.filter((message) => message.recipient === recipient);
}

/** Waits for the message to `recipient` that comes after the `seenBefore` already there, and returns its text. */
export async function nextMessage(base: string, recipient: string, seenBefore: number): Promise<string> {
  return eventually(
    async () => {
      const messages = await outboxFor(base, recipient);
      return messages.length > seenBefore ? messages[0]!.textBody : undefined;
    },
    10_000,
    `message ${seenBefore + 1} to ${recipient} in /outbox.json`,
  );
}
