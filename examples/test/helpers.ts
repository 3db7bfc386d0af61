import type { Server } from "node:http";
import { createServer } from "node:net";
import type { Page } from "playwright-core";

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
