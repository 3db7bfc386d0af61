export * from "../../framework/fetch/index.js";
