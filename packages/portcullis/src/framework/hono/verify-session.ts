/** `portcullis/recipe/session/framework/hono`, the SDK's path for the session middleware. */
export { verifySession, type SessionEnv, type SessionVariables } from "./index.js";
