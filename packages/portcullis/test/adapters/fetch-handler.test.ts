import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountBareFetch } from "./mounts.js";

await describeAdapterConformance("fetch-handler", mountBareFetch);
