import type { APIInterface } from "./types.js";
import type { RequestContext } from "./request-functions.js";
import { getSessionFromRequest, refreshSessionInRequest } from "./request-functions.js";
import type { UserContext } from "../../core/user-context.js";
import type { APIOptions, SessionClaimValidator } from "./types.js";

function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

export function createSessionAPIImplementation(getClaimValidatorsAddedByOtherRecipes: () => SessionClaimValidator[]): APIInterface {
  const contextOf = (options: APIOptions, userContext: UserContext): RequestContext => ({
    req: options.req,
    res: options.res,
    config: options.config,
    recipeImplementation: options.recipeImplementation,
    userContext,
    getClaimValidatorsAddedByOtherRecipes,
  });
  return {
    refreshPOST: async ({ options, userContext }) => refreshSessionInRequest(contextOf(options, userContext)),

    signOutPOST: async ({ session, userContext }) => {
      await session.revokeSession(userContext);
      return { status: "OK" };
    },

    verifySession: async ({ verifySessionOptions, options, userContext }) => {
      const method = options.req.getMethod();
      if (method === "options" || method === "trace") return undefined;
      if (method === "post" && pathOf(options.req.getOriginalURL()) === options.config.refreshTokenPath) {
        return refreshSessionInRequest(contextOf(options, userContext));
      }
      return getSessionFromRequest(contextOf(options, userContext), verifySessionOptions);
    },
  };
}
