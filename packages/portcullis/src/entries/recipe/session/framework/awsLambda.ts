export { verifySession } from "../../../../framework/awsLambda/index.js";
