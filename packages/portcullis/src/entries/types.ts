export type * from "../facade/types.js";
