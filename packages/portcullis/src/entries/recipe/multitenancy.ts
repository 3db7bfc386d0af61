export * from "../../facade/multitenancy.js";
export { default } from "../../facade/multitenancy.js";
