export * from "../../../../framework/express/verify-session.js";
