import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountExpress } from "./mounts.js";

await describeAdapterConformance("express", mountExpress);
