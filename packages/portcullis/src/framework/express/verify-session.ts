/** `portcullis/recipe/session/framework/express`, as in the SDK. */
export { verifySession, type SessionRequest } from "./index.js";
