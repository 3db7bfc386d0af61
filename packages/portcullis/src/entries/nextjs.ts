export * from "../nextjs/index.js";
export { default } from "../nextjs/index.js";
