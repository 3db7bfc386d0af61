export { BaseRequest, type HTTPMethod } from "./base-request.js";
export { BaseResponse, type CookieSameSite } from "./base-response.js";
export { NodeRequest, NodeResponse, MAX_BODY_BYTES } from "./node-http.js";
export { parseCookieHeader, serializeCookie } from "./cookies.js";
