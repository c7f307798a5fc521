// What `npm start` and `npm run start:cluster` do before serving: the environment
// (a session secret kept in the data folder when none is set), a build when the sources
// are newer, the database (embedded PostgreSQL unless DATABASE_URL is set, migrated),
// and the demo data on an empty database.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { dataDir, projectRoot } from "./paths.mjs";
import { prepareDatabase } from "./database.mjs";

const bin = (name) => path.join(projectRoot, "node_modules", ".bin", name);

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { cwd: projectRoot, stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`[ocop-trace] ${path.basename(cmd)} ${args.join(" ")} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

function newestMtime(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (target.endsWith("app") && entry === "styles") continue; // built CSS is an output
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function buildIsStale() {
  const built = path.join(projectRoot, "build", "index.js");
  if (!fs.existsSync(built) || !fs.existsSync(path.join(projectRoot, "build", "server.js"))) return true;
  const sources = ["app", "server", "remix.config.js", "package.json", "package-lock.json"].map((p) =>
    newestMtime(path.join(projectRoot, p)),
  );
  return Math.max(...sources) > fs.statSync(built).mtimeMs;
}

/** Returns the environment to serve with (DATABASE_URL set) and the database handle to stop last. */
export async function prepareApp(log) {
  const env = { ...process.env };
  env.NODE_ENV = "production";
  env.PORT ??= "3000";
  env.APP_URL ??= `http://localhost:${env.PORT}`;
  fs.mkdirSync(dataDir(), { recursive: true });

  // Only when unset: an empty SESSION_SECRET is a mistake the server refuses at start (app/lib/env.server.ts).
  if (env.SESSION_SECRET === undefined) {
    const secretFile = path.join(dataDir(), "session-secret");
    if (!fs.existsSync(secretFile)) {
      fs.writeFileSync(secretFile, crypto.randomBytes(32).toString("hex"), { mode: 0o600 });
      log(`SESSION_SECRET was not set: generated a new one and kept it in ${path.relative(projectRoot, secretFile)} (not in git).`);
    } else {
      log(`SESSION_SECRET was not set: using the one kept in ${path.relative(projectRoot, secretFile)}.`);
    }
    env.SESSION_SECRET = fs.readFileSync(secretFile, "utf8").trim();
  }

  if (buildIsStale()) {
    log("building the app…");
    run("npm", ["run", "build"], env);
  }

  const database = await prepareDatabase(env, log);
  run(bin("tsx"), ["prisma/seed.ts"], env);
  return { env, database };
}
