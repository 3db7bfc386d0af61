export * from "../../framework/node/index.js";
