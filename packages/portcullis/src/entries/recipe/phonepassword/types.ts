export type * from "../../../recipes/phonepassword/types.js";
