export { verifySession } from "../../../../framework/custom/index.js";
