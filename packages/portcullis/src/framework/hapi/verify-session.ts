/** `portcullis/recipe/session/framework/hapi`, as in the SDK. */
export { verifySession, type SessionRequest } from "./index.js";
