export * from "../../../../framework/hono/verify-session.js";
