export type * from "../../../recipes/emailverification/types.js";
