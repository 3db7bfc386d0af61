export * from "../../framework/awsLambda/index.js";
