import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountHono } from "./mounts.js";

await describeAdapterConformance("hono", mountHono);
