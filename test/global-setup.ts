import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import pg from "pg";
import { Logger, runMigrations } from "graphile-worker";
import { startEmbeddedPostgres } from "../scripts/postgres.mjs";

// One PostgreSQL server for the whole run (embedded in a throwaway folder, or the one
// TEST_DATABASE_URL names) and one migrated template database on it; each test file
// gets its own database cloned from the template (setup-env.ts: CREATE DATABASE … TEMPLATE).
export default async function setup() {
  // The scan page's document links the built stylesheet, which a fresh clone has not made yet.
  if (!fs.existsSync("app/styles/tailwind.css")) execFileSync("npm", ["run", "build:css"], { stdio: "ignore" });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-test-"));
  const server = process.env.TEST_DATABASE_URL
    ? { url: process.env.TEST_DATABASE_URL, stop: async () => {} }
    : await startEmbeddedPostgres({ dir: path.join(dir, "pg"), database: "postgres", fast: true, maxConnections: 300 });
  const prefix = `ocop_t_${crypto.randomBytes(4).toString("hex")}`;
  const template = `${prefix}_template`;
  const admin = new pg.Client({ connectionString: withDatabase(server.url, "postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  const templateUrl = withDatabase(server.url, template);
  await applyMigrations(templateUrl);
  process.env.OCOP_TEST_SERVER_URL = server.url;
  process.env.OCOP_TEST_TEMPLATE = template;
  process.env.OCOP_TEST_PREFIX = prefix;
  process.env.OCOP_TEST_DIR = dir;
  return async () => {
    // An external server keeps only what it had: drop this run's databases.
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    await admin.end();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The migrations in order (as `prisma migrate deploy` applies them) and the job queue's own schema. */
export async function applyMigrations(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const migrationsDir = path.resolve("prisma/migrations");
  for (const name of fs.readdirSync(migrationsDir).sort()) {
    const file = path.join(migrationsDir, name, "migration.sql");
    if (fs.existsSync(file)) await client.query(fs.readFileSync(file, "utf8"));
  }
  await client.end();
  await runMigrations({ connectionString: url, logger: new Logger(() => () => {}) });
}
