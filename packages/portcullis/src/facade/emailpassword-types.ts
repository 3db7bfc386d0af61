/** `portcullis/recipe/emailpassword/types`. */
export type * from "../recipes/emailpassword/types.js";
