import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountKoa } from "./mount-koa.js";

await describeAdapterConformance("koa", mountKoa);
