/** `portcullis/recipe/session/types`. */
export type * from "../recipes/session/types.js";
