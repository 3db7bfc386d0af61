export * from "../../facade/emailpassword.js";
export { default } from "../../facade/emailpassword.js";
