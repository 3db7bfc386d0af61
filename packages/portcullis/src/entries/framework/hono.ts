export * from "../../framework/hono/index.js";
