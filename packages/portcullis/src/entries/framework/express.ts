export * from "../../framework/express/index.js";
