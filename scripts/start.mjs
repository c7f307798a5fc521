#!/usr/bin/env node
// `npm start`: build if needed, start the embedded PostgreSQL (unless DATABASE_URL names
// a server), apply migrations, seed an empty database with demo data, then serve the
// production build on $PORT (default 3000). Ctrl-C stops the app, then the database.
import { spawn } from "node:child_process";
import { projectRoot } from "./paths.mjs";
import { prepareApp } from "./prepare.mjs";

const log = (msg) => console.log(`[ocop-trace] ${msg}`);
const { env, database } = await prepareApp(log);

log(`serving on port ${env.PORT} (APP_URL ${env.APP_URL})`);
const server = spawn(process.execPath, ["scripts/server.mjs"], { cwd: projectRoot, stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", async (code, signal) => {
  await database.stop();
  process.exit(code ?? (signal ? 0 : 1));
});
