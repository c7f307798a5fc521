import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../scripts/postgres.mjs";

// `npm start` (scripts/start.mjs) keeps the app up: when the server process dies
// (here SIGKILL, as the OOM killer would), it starts it again after a short backoff instead
// of stopping PostgreSQL with it; Ctrl-C still stops both.

let dir = "";
let start: ChildProcess;
const output: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
const postgresPid = () => {
  const file = path.join(dir, "pg", "postmaster.pid");
  return fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8").split("\n")[0]) : 0;
};
/** The build/server.js children of start.mjs (Linux /proc), every one seen so far in order. */
const seen: number[] = [];
const serverPids = () => {
  const children = fs.existsSync(`/proc/${start.pid}/task/${start.pid}/children`)
    ? fs.readFileSync(`/proc/${start.pid}/task/${start.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)
    : [];
  for (const pid of children) {
    const cmd = fs.existsSync(`/proc/${pid}/cmdline`) ? fs.readFileSync(`/proc/${pid}/cmdline`, "utf8") : "";
    if (cmd.includes("build/server.js") && !seen.includes(pid)) seen.push(pid);
  }
  return seen;
};
async function until(ms: number, ok: () => Promise<boolean> | boolean): Promise<number> {
  const t = Date.now();
  while (Date.now() - t < ms) {
    if (await Promise.resolve(ok()).catch(() => false)) return Date.now() - t;
    await sleep(100);
  }
  return Infinity;
}

afterAll(async () => {
  if (start && start.exitCode === null) {
    start.kill("SIGINT");
    await until(20_000, () => start.exitCode !== null);
  }
  for (const pid of serverPids()) if (alive(pid)) process.kill(pid, "SIGKILL");
  if (postgresPid() && alive(postgresPid())) process.kill(postgresPid(), "SIGINT");
}, 30_000);

it("npm start restarts the server after a SIGKILL, keeps PostgreSQL running, and Ctrl-C stops both", async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-start-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dir, RATE_LIMIT_SCALE: "50" };
  for (const name of ["DATABASE_URL", "SESSION_SECRET", "APP_URL", "NODE_ENV"]) delete env[name];
  start = spawn(process.execPath, ["scripts/start.mjs"], { env, stdio: ["ignore", "pipe", "pipe"] });
  for (const s of [start.stdout, start.stderr]) s?.on("data", (d: Buffer) => output.push(...String(d).trimEnd().split("\n")));
  const base = `http://127.0.0.1:${port}`;
  const ready = () => fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status === 200);
  expect(await until(120_000, ready), output.join("\n")).toBeLessThan(120_000);
  const [first] = serverPids();
  expect(first, output.join("\n")).toBeGreaterThan(0);
  const pg = postgresPid();
  expect(alive(pg)).toBe(true);

  const killedAt = Date.now();
  process.kill(first!, "SIGKILL");
  await until(5000, async () => !(await ready()));
  expect(alive(pg), "PostgreSQL keeps running").toBe(true);
  expect(start.exitCode, output.join("\n")).toBeNull();
  const back = await until(20_000, async () => serverPids().length === 2 && (await ready()));
  expect(back, output.join("\n")).toBeLessThan(20_000);
  console.log(`[start] the server serves again ${Date.now() - killedAt} ms after its SIGKILL`);
  expect(serverPids()[1]).not.toBe(first);
  expect(postgresPid()).toBe(pg);
  expect((await fetch(`${base}/`)).status).toBe(200);

  // Ctrl-C: the server, then PostgreSQL, then start.mjs itself.
  const second = serverPids()[1]!;
  start.kill("SIGINT");
  expect(await until(20_000, () => start.exitCode !== null || start.signalCode !== null), output.join("\n")).toBeLessThan(20_000);
  expect(alive(second)).toBe(false);
  expect(await until(5000, () => !alive(pg))).toBeLessThan(5000);
  expect(serverPids().length).toBe(2);
}, 200_000);
