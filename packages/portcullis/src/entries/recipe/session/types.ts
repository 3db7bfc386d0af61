export type * from "../../../facade/session-types.js";
