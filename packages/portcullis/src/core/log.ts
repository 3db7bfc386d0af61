import type { Logger } from "./runtime.js";

/**
 * How Portcullis writes to the app's logger, whatever its calling convention. pino and bunyan
 * take the fields first (`logger.error({ err }, "message")`); console, winston and most others take
 * the message first (`logger.error("message", error)`). Passing an error second to pino would drop
 * it, so the style is detected once: a logger with `child()` and `levels` is object-first.
 */
export interface Log {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, error?: unknown, fields?: Record<string, unknown>): void;
  readonly debugEnabled: boolean;
}

type AnyLogFunction = (...args: unknown[]) => void;

export function createLog(logger: Logger, options: { debug: boolean }): Log {
  const target = logger as unknown as Record<string, unknown>;
  const objectFirst = typeof target["child"] === "function" && typeof target["levels"] === "object";
  const call = (level: "debug" | "info" | "warn" | "error", message: string, fields: Record<string, unknown> | undefined): void => {
    const fn = (typeof target[level] === "function" ? target[level] : target["info"]) as AnyLogFunction;
    try {
      if (objectFirst) fn.call(logger, fields ?? {}, message);
      else if (fields === undefined) fn.call(logger, message);
      else fn.call(logger, message, fields);
    } catch {
      // A broken logger must not break authentication.
    }
  };
  return {
    debugEnabled: options.debug,
    debug: (message, fields) => {
      if (options.debug) call("debug", message, fields);
    },
    info: (message, fields) => call("info", message, fields),
    warn: (message, fields) => call("warn", message, fields),
    error: (message, error, fields) => {
      if (objectFirst) call("error", message, { ...fields, ...(error !== undefined ? { err: error } : {}) });
      else if (error === undefined) call("error", message, fields);
      else {
        const fn = (typeof target["error"] === "function" ? target["error"] : target["info"]) as AnyLogFunction;
        try {
          if (fields === undefined) fn.call(logger, message, error);
          else fn.call(logger, message, error, fields);
        } catch {
          // as above
        }
      }
    },
  };
}
