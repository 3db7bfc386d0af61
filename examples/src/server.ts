import { getDefaultInstance } from "portcullis/engine";
import { createDemoApp } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}

const app = createDemoApp({ port });
const server = app.listen(port, (error?: Error) => {
  if (error !== undefined) {
    console.error(`Could not listen on port ${port}: ${error.message}`);
    process.exit(1);
  }
  console.log(`Portcullis demo running at http://localhost:${port}`);
  console.log(`Emails it "sends" are at http://localhost:${port}/outbox`);
});

// Ctrl-C / container stop: let in-flight requests finish, then close the database cleanly.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close(() => {
      void getDefaultInstance()
        .close()
        .finally(() => process.exit(0));
    });
    // close() drops idle keep-alive connections itself; a stuck one must not block shutdown.
    setTimeout(() => server.closeAllConnections(), 3000).unref();
  });
}
