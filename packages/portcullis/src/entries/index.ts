export * from "../facade/index.js";
export { default } from "../facade/index.js";
