export type * from "../../../recipes/passwordless/types.js";
