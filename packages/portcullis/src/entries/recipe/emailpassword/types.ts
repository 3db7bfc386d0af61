export type * from "../../../facade/emailpassword-types.js";
