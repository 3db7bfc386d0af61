/** `portcullis/framework`: the neutral request/response every bridge translates to. */
export { BaseRequest, type HTTPMethod } from "../http/base-request.js";
export { BaseResponse, type CookieSameSite } from "../http/base-response.js";
export { CollectingResponse, type CookieInfo } from "../http/collecting-response.js";
export { MAX_BODY_BYTES } from "../http/body.js";
export { parseCookieHeader, serializeCookie } from "../http/cookies.js";
export { NodeRequest, NodeResponse } from "./node/node-http.js";
export { FetchRequest } from "./fetch/fetch-request.js";
