#!/usr/bin/env node
// `npm start`: build if needed, start the embedded PostgreSQL (unless DATABASE_URL names
// a server), apply migrations, seed an empty database with demo data, then serve the
// production build on $PORT (default 3000). Ctrl-C stops the app, then the database.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { dataDir, projectRoot } from "./paths.mjs";
import { prepareDatabase } from "./database.mjs";

const bin = (name) => path.join(projectRoot, "node_modules", ".bin", name);
const log = (msg) => console.log(`[ocop-trace] ${msg}`);

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
  if (!fs.existsSync(built)) return true;
  const sources = ["app", "remix.config.js", "package.json", "package-lock.json"].map((p) => newestMtime(path.join(projectRoot, p)));
  return Math.max(...sources) > fs.statSync(built).mtimeMs;
}

const env = { ...process.env };
env.NODE_ENV = "production";
env.PORT ??= "3000";
env.APP_URL ??= `http://localhost:${env.PORT}`;
fs.mkdirSync(dataDir(), { recursive: true });

if (!env.SESSION_SECRET) {
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

log(`serving on port ${env.PORT} (APP_URL ${env.APP_URL})`);
const server = spawn(process.execPath, ["scripts/server.mjs"], { cwd: projectRoot, stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", async (code, signal) => {
  await database.stop();
  process.exit(code ?? (signal ? 0 : 1));
});
