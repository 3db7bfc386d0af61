import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountNodeHttp } from "./mounts.js";

await describeAdapterConformance("node-http", mountNodeHttp);
