/** `portcullis/recipe/session/framework/koa`, as in the SDK. */
export { verifySession, type SessionContext } from "./index.js";
