import Fastify from "fastify";
import { errorHandler, plugin, verifySession, type SessionRequest } from "../../src/framework/fastify/index.js";
import { CONFORMANCE_ROUTES, sessionSummary, type MountApp } from "../../src/testing/conformance-app.js";

/** Fastify as an app would wire it: the plugin, a preHandler per protected route, the error handler. */
export const mountFastify: MountApp = async (auth) => {
  const app = Fastify();
  await app.register(plugin, { auth });
  for (const route of CONFORMANCE_ROUTES) {
    app.route({
      method: route.method.toUpperCase() as "GET" | "POST",
      url: route.path,
      preHandler: verifySession(route.options, auth),
      handler: async (req: SessionRequest) => sessionSummary(req.session),
    });
  }
  app.setErrorHandler(errorHandler(auth));
  const baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
  return { baseUrl, close: () => app.close() };
};
