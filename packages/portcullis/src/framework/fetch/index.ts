/** `portcullis/framework/fetch`: web Request → Response, for Hono, Next.js app router, edge and Lambda-style runtimes. */
export { handleAuthRequest, handler, verifySession, type FetchContext, type SessionHandler } from "./fetch-bridge.js";
export { FetchRequest } from "./fetch-request.js";
export { CollectingResponse } from "../../http/collecting-response.js";
