import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountNextApp } from "./mount-nextjs.js";

await describeAdapterConformance("nextjs-app", mountNextApp);
