/** `portcullis/recipe/session/framework/loopback`, as in the SDK. */
export { verifySession, type SessionContext } from "./index.js";
