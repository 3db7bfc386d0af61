export * from "../../framework/custom/index.js";
