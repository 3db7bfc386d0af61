export * from "../../../../framework/hapi/verify-session.js";
