export * from "../../../../framework/koa/verify-session.js";
