export * from "../../../../framework/loopback/verify-session.js";
