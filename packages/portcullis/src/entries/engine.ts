export * from "../instance/index.js";
