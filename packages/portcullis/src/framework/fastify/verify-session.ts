/** `portcullis/recipe/session/framework/fastify`, as in the SDK. */
export { verifySession, type SessionRequest } from "./index.js";
