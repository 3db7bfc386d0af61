import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountFastify } from "./mount-fastify.js";

await describeAdapterConformance("fastify", mountFastify);
