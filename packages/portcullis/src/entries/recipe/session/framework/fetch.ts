export { verifySession, type SessionHandler } from "../../../../framework/fetch/index.js";
