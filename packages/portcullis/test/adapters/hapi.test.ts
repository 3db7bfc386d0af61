import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountHapi } from "./mount-hapi.js";

await describeAdapterConformance("hapi", mountHapi);
