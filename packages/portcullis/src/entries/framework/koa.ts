export * from "../../framework/koa/index.js";
