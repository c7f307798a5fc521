#!/usr/bin/env node
// `npm start`: build if needed, start the embedded PostgreSQL (unless DATABASE_URL names
// a server), apply migrations, seed an empty database with demo data, then serve the
// production build on $PORT (default 3000). Ctrl-C stops the app, then the database.
// If the app server dies on its own (a crash, the OOM killer), it is started again after a
// backoff while PostgreSQL keeps running; after MAX_FAST_CRASHES exits each within
// FAST_CRASH_MS of its start (a bad setting, a broken build) it gives up and stops both.
import { spawn } from "node:child_process";
import { projectRoot } from "./paths.mjs";
import { prepareApp } from "./prepare.mjs";

const FAST_CRASH_MS = 30_000;
const MAX_FAST_CRASHES = 5;
const MAX_BACKOFF_MS = 30_000;

const log = (msg) => console.log(`[ocop-trace] ${msg}`);
const { env, database } = await prepareApp(log);

log(`serving on port ${env.PORT} (APP_URL ${env.APP_URL})`);
let server = null;
let stopping = false;
let fastCrashes = 0;
let restartTimer = null;

async function finish(code) {
  clearTimeout(restartTimer);
  await database.stop();
  process.exit(code);
}

function serve() {
  const startedAt = Date.now();
  const child = spawn(process.execPath, ["build/server.js"], { cwd: projectRoot, stdio: "inherit", env });
  server = child;
  log(`server started (pid ${child.pid})`);
  child.on("exit", (code, signal) => {
    if (stopping) return void finish(code ?? 0);
    // Exit 0 is the server stopping by itself on purpose (it got SIGTERM from someone): stop too.
    if (code === 0) return void finish(0);
    const ranFor = Date.now() - startedAt;
    fastCrashes = ranFor < FAST_CRASH_MS ? fastCrashes + 1 : 1;
    const why = signal ?? `exit code ${code}`;
    if (fastCrashes >= MAX_FAST_CRASHES) {
      log(
        `the server died (${why}) ${fastCrashes} times, each within ${FAST_CRASH_MS / 1000} s of starting: giving up, stopping the database`,
      );
      return void finish(code ?? 1);
    }
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (fastCrashes - 1));
    log(
      `the server died (${why}) after ${Math.round(ranFor / 1000)} s: starting it again in ${delay / 1000} s (the database keeps running)`,
    );
    restartTimer = setTimeout(serve, delay);
  });
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopping = true;
    if (server && server.exitCode === null && server.signalCode === null) server.kill(signal);
    else void finish(0); // between a crash and its restart
  });
}
serve();
