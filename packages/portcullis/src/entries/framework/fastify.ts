export * from "../../framework/fastify/index.js";
