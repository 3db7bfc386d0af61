import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountAwsLambda } from "./mount-awsLambda.js";

await describeAdapterConformance("awsLambda v1", mountAwsLambda("v1"));
await describeAdapterConformance("awsLambda v2", mountAwsLambda("v2"));
