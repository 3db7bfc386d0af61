export * from "../../facade/session.js";
export { default } from "../../facade/session.js";
