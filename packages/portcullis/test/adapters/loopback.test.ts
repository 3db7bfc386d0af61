import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountLoopback } from "./mount-loopback.js";

await describeAdapterConformance("loopback", mountLoopback);
