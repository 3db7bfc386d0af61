import { describeAdapterConformance } from "../../src/testing/index.js";
import { mountCustom } from "./mounts.js";

await describeAdapterConformance("custom (PreParsedRequest + CollectingResponse)", mountCustom);
