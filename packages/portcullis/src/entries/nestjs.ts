export * from "../nestjs/index.js";
