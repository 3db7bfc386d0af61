import { getAppDirRequestHandler, withPreParsedRequestResponse, withSession } from "./app-router.js";
import { superTokensNextWrapper } from "./pages-router.js";
import { getSSRSession } from "./ssr-session.js";

/**
 * `portcullis/nextjs`, as the SDK's `supertokens-node/nextjs`: the pages router wraps the Express
 * adapter (Next's API req/res are Node's), the app router and `proxy.ts` use the Fetch bridge.
 * Nothing is imported from `next`, so this module loads where Next is not installed.
 */
export { superTokensNextWrapper, type NextWrapperCallback } from "./pages-router.js";
export { getAppDirRequestHandler, withPreParsedRequestResponse, withSession, type WithSessionHandler } from "./app-router.js";
export { getSSRSession, type RequestCookie, type SSRCookies, type SSRSession } from "./ssr-session.js";

/** The SDK's default export is a class of statics (`NextJS.superTokensNextWrapper(...)`). */
export default class NextJS {
  static superTokensNextWrapper = superTokensNextWrapper;
  static getAppDirRequestHandler = getAppDirRequestHandler;
  static withSession = withSession;
  static withPreParsedRequestResponse = withPreParsedRequestResponse;
  static getSSRSession = getSSRSession;
}
