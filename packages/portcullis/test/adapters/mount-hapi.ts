import Hapi from "@hapi/hapi";
import { plugin, verifySession, type SessionRequest } from "../../src/framework/hapi/index.js";
import { CONFORMANCE_ROUTES, sessionSummary, type MountApp } from "../../src/testing/conformance-app.js";

/** Hapi 21 as a user would wire it: the plugin for the auth routes, verifySession in each route's `pre`. */
export const mountHapi: MountApp = async (auth) => {
  const server = Hapi.server({ port: 0, host: "127.0.0.1" });
  await server.register({ plugin, options: { auth } });
  for (const route of CONFORMANCE_ROUTES) {
    server.route({
      method: route.method,
      path: route.path,
      options: { pre: [{ method: verifySession(route.options, auth) }] },
      handler: (request: SessionRequest) => sessionSummary(request.session),
    });
  }
  await server.start();
  return { baseUrl: server.info.uri, close: () => server.stop() };
};
