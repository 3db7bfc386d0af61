import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountNestjs } from "./mount-nestjs.js";

await describeAdapterConformance("nestjs", mountNestjs);
