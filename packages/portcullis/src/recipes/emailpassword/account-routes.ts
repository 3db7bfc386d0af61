/**
 * The wire side of the Portcullis extensions of this recipe: reset by emailed link with a
 * redirect (seed 001) and change password. Parsing and HTTP shapes live here; what happens lives
 * in the API functions, which apps may override or switch off.
 */
import { badInput } from "../../core/errors.js";
import { isPlainObject } from "../../core/json.js";
import { emailProblem } from "../../core/normalise.js";
import { escapeHtml } from "../../delivery/html-escape.js";
import type { RouteDefinition } from "../../engine/types.js";
import { sendJSONError } from "../../engine/http-errors.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import type { SessionRecipe } from "../session/session-recipe.js";
import type { SessionContainerInterface } from "../session/types.js";
import { CHANGE_PASSWORD_PATH } from "./change-password-api.js";
import { RESET_REDIRECT_PATH } from "./reset-redirect-api.js";
import type { APIInterface, APIOptions, TypeNormalisedInput } from "./types.js";
import { fieldById } from "./validators.js";

export interface AccountRoutesContext {
  api: APIInterface;
  config: TypeNormalisedInput;
  apiOptions(req: BaseRequest, res: BaseResponse): APIOptions;
  session(): SessionRecipe;
}

async function jsonBody(req: BaseRequest): Promise<Record<string, unknown>> {
  const parsed: unknown = await req.getJSONBody();
  if (!isPlainObject(parsed)) throw badInput("The request body must be a JSON object");
  return parsed;
}

function requiredString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (value === undefined) throw badInput(`Please provide ${key}`);
  if (typeof value !== "string") throw badInput(`${key} must be a string`);
  return value;
}

/** A 302 that keeps the token out of caches and out of the Referer of whatever the page loads. */
function redirect(res: BaseResponse, location: string): void {
  res.setStatusCode(302);
  res.setHeader("Location", location, false);
  res.setHeader("Cache-Control", "no-store", false);
  res.setHeader("Referrer-Policy", "no-referrer", false);
  res.sendHTMLResponse(`<!DOCTYPE html><title>Redirecting</title><a href="${escapeHtml(location)}">Continue</a>`);
}

export function accountRoutes(context: AccountRoutesContext): RouteDefinition[] {
  const { api, config } = context;
  return [
    {
      method: "post",
      path: "/user/password/reset/email",
      tenantScoped: true,
      disabled: api.passwordResetEmailPOST === undefined,
      handle: async ({ tenantId, req, res, userContext }) => {
        const body = await jsonBody(req);
        const email = requiredString(body, "email").trim();
        const redirectURL = requiredString(body, "redirectURL");
        const emailField = fieldById(config.resetPasswordUsingTokenFeature.formFieldsForGenerateTokenForm, "email");
        const problem = emailProblem(email) ?? (await emailField.validate(email, tenantId, userContext));
        if (problem !== undefined) throw badInput(problem);
        res.sendJSONResponse(await api.passwordResetEmailPOST?.({ email, redirectURL, tenantId, options: context.apiOptions(req, res), userContext }));
      },
    },
    {
      method: "get",
      path: RESET_REDIRECT_PATH,
      tenantScoped: true,
      disabled: api.passwordResetRedirectGET === undefined,
      handle: async ({ tenantId, req, res, userContext }) => {
        const redirectURL = req.getKeyValueFromQuery("redirectURL");
        if (redirectURL === undefined) throw badInput("Please provide the redirectURL as a GET param");
        // A link missing its token (cut by a mail client) is an invalid link: the app says so on its page.
        const token = req.getKeyValueFromQuery("token") ?? "";
        const result = await api.passwordResetRedirectGET?.({ token, redirectURL, tenantId, options: context.apiOptions(req, res), userContext });
        if (result === undefined) return;
        if (result.status === "OK") redirect(res, result.location);
        else sendJSONError(res, 400, result.message);
      },
    },
    {
      method: "post",
      path: CHANGE_PASSWORD_PATH,
      tenantScoped: true,
      disabled: api.passwordChangePOST === undefined,
      handle: async ({ tenantId, req, res, userContext }) => {
        const session: SessionContainerInterface | undefined = await context.session().verifySession({ sessionRequired: true }, req, res, userContext);
        if (session === undefined) throw new Error("Session is undefined. Should never come here.");
        if (session.getTenantId(userContext) !== tenantId) throw badInput("The session belongs to another tenant");
        const body = await jsonBody(req);
        const oldPassword = requiredString(body, "oldPassword");
        const newPassword = requiredString(body, "newPassword");
        res.sendJSONResponse(
          await api.passwordChangePOST?.({ oldPassword, newPassword, session, tenantId, options: context.apiOptions(req, res), userContext }),
        );
      },
    },
  ];
}
