export * from "../../../../framework/fastify/verify-session.js";
