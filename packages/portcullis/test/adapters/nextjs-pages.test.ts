import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountNextPages } from "./mount-nextjs.js";

await describeAdapterConformance("nextjs-pages", mountNextPages);
