export * from "../../facade/userroles.js";
export { default } from "../../facade/userroles.js";
