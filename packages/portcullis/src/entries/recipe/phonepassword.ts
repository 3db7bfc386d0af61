export * from "../../facade/phonepassword.js";
export { default } from "../../facade/phonepassword.js";
