import type { User } from "../../core/user.js";
import type { UserContext } from "../../core/user-context.js";
import { pathnameOf } from "../../http/url-path.js";
import { unauthorised } from "./error.js";
import { getSessionFromRequest, refreshSessionInRequest, type RequestContext } from "./request-functions.js";
import type { APIInterface, APIOptions, SessionClaimValidator } from "./types.js";

export function createSessionAPIImplementation(
  getClaimValidatorsAddedByOtherRecipes: () => SessionClaimValidator[],
  getUser: (userId: string) => Promise<User | undefined>,
): APIInterface {
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

    userGET: async ({ session }) => {
      const user = await getUser(session.getUserId());
      // A session whose user was deleted is over: the same 401 a revoked session gets.
      if (user === undefined) throw unauthorised("Session user not found");
      return { status: "OK", user };
    },

    verifySession: async ({ verifySessionOptions, options, userContext }) => {
      const method = options.req.getMethod();
      if (method === "options" || method === "trace") return undefined;
      if (method === "post" && pathnameOf(options.req.getOriginalURL()) === options.config.refreshTokenPath) {
        return refreshSessionInRequest(contextOf(options, userContext));
      }
      return getSessionFromRequest(contextOf(options, userContext), verifySessionOptions);
    },
  };
}
