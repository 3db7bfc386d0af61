export * from "../../facade/emailverification.js";
export { default } from "../../facade/emailverification.js";
