// The database step of `npm start` and `npm run start:cluster`: the embedded PostgreSQL
// in $DATA_DIR/pg unless DATABASE_URL names a server, then the migrations (Prisma's and
// the job queue's own schema).
import path from "node:path";
import { spawnSync } from "node:child_process";
import { dataDir, projectRoot } from "./paths.mjs";
import { startEmbeddedPostgres } from "./postgres.mjs";

/** Sets env.DATABASE_URL (starting the embedded server when it is unset) and migrates. Returns { stop }. */
export async function prepareDatabase(env, log) {
  let stop = async () => {};
  if (!env.DATABASE_URL) {
    const dir = path.join(dataDir(), "pg");
    log(`DATABASE_URL is not set: starting the embedded PostgreSQL (data in ${path.relative(projectRoot, dir) || dir})…`);
    const server = await startEmbeddedPostgres({ dir, log: (m) => env.PG_LOG && log(`[pg] ${m}`) });
    env.DATABASE_URL = server.url;
    stop = async () => {
      log("stopping the embedded PostgreSQL");
      await server.stop();
    };
  }
  log("applying database migrations…");
  const preload = `--require ${path.join(projectRoot, "scripts", "prisma-cli-preload.cjs")}`;
  const cliEnv = { ...env, NODE_OPTIONS: [env.NODE_OPTIONS, preload].filter(Boolean).join(" ") };
  const r = spawnSync(path.join(projectRoot, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    cwd: projectRoot,
    stdio: ["ignore", "ignore", "inherit"],
    env: cliEnv,
  });
  if (r.status !== 0) {
    await stop();
    throw new Error(`prisma migrate deploy failed (exit ${r.status})`);
  }
  const { runMigrations, Logger } = await import("graphile-worker");
  await runMigrations({ connectionString: env.DATABASE_URL, logger: new Logger(() => () => {}) });
  return { url: env.DATABASE_URL, stop };
}

/**
 * For the operator scripts (keys:rotate, stories:build): DATABASE_URL, or the embedded
 * server in $DATA_DIR/pg (the running one when the app is up), migrated. Returns what to stop after.
 * Set it before importing app modules: the Prisma client reads it when it is created.
 */
export async function ensureDatabaseUrl() {
  if (process.env.DATABASE_URL) return async () => {};
  const { stop } = await prepareDatabase(process.env, () => {});
  return stop;
}
