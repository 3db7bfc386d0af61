/** `portcullis/types`: the root types module of the SDK. */
export type { UserContext } from "../core/user-context.js";
export type { AppInfo, NormalisedAppInfo, NormalisedAppInfo as NormalisedAppinfo } from "../engine/app-info.js";
export type { TypeInput, RecipeListFunction } from "../engine/types.js";
export type { HTTPMethod } from "../http/base-request.js";
export type { JSONPrimitive, JSONArray, JSONValue, JSONObject } from "../core/json.js";
export type { GeneralErrorResponse } from "../core/general-error.js";
export type { User } from "../core/user.js";
