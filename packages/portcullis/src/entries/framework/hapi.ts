export * from "../../framework/hapi/index.js";
