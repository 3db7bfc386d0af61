export * from "../../framework/loopback/index.js";
