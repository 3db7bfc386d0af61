export * from "../../facade/passwordless.js";
export { default } from "../../facade/passwordless.js";
