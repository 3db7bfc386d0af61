export * from "../../../facade/session-claims.js";
