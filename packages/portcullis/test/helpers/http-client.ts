export * from "../../src/testing/http-client.js";
