import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawn } from "node:child_process";
import { runningDatabaseUrl } from "../scripts/postgres.mjs";
import { e2eDb, expect, PHONE_UA, test } from "./fixtures";

// A scan is committed before its page answers (group commit, scan-buffer.server.ts), so
// nothing the server still holds can be lost: this starts its own `npm start` (own
// DATA_DIR, so its own embedded PostgreSQL), scans, and kills the app server with
// SIGKILL: no shutdown hook, no flush.

const CODE = "CHETANCVNG2345ABCD";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Running (a zombie, dead but not yet reaped by whoever inherited it, is not). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (await ok()) return;
  throw new Error(`timed out waiting for ${what}`);
}

/** The child of `parent` running `script` (ps lists children with their command lines). */
function childRunning(parent: number, script: string): number | null {
  let out = "";
  try {
    out = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(parent)]).toString();
  } catch {
    return null; // no children (ps exits 1)
  }
  const line = out.split("\n").find((l) => l.includes(script));
  return line ? Number(line.trim().split(/\s+/)[0]) : null;
}

test("every scan answered 200 is in the database even when the server is killed with kill -9", async () => {
  test.setTimeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-kill-"));
  const pgDir = path.join(dataDir, "pg");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const start = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, PORT: String(port), APP_URL: base, DATA_DIR: dataDir, DATABASE_URL: "", SESSION_SECRET: "kill-test" },
    stdio: "ignore",
  });
  let serverPid: number | null = null;
  let postmasterPid: number | null = null;
  try {
    await until(
      "the app to answer",
      () =>
        fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      150_000,
    );
    serverPid = childRunning(start.pid!, "build/server.js");
    expect(serverPid, "the app server started by start.mjs").not.toBeNull();
    postmasterPid = Number(fs.readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const url = runningDatabaseUrl(pgDir);
    const totals = async () => {
      const db = await e2eDb(url);
      try {
        return await db.one<{ counted: number; views: number }>(
          // A row is one client's visit; its repeats count the page views (reloads) it stands for.
          `SELECT c."scanCount" AS counted, (SELECT COALESCE(SUM(s."repeats"), 0)::int FROM "Scan" s WHERE s."codeId" = c."id") AS views FROM "TraceCode" c WHERE c."code" = $1`,
          [CODE],
        );
      } finally {
        await db.close();
      }
    };
    const before = await totals();

    const N = 40;
    const statuses = await Promise.all(
      Array.from({ length: N }, () => fetch(`${base}/t/${CODE}`, { headers: { "User-Agent": PHONE_UA } }).then((r) => r.status)),
    );
    expect(statuses).toEqual(Array(N).fill(200));

    // start.mjs stops the database as soon as its server dies; it holds no scans (the
    // server writes them straight to PostgreSQL), so kill it first: the database stays
    // up, to be read after the server's sudden death.
    start.kill("SIGKILL");
    process.kill(serverPid!, "SIGKILL");
    await until("the app server to die", () => !alive(serverPid!));

    expect(await totals()).toEqual({ counted: before.counted + N, views: before.views + N });
  } finally {
    // After a failure too: nothing of this test may stay running.
    if (start.exitCode === null && start.signalCode === null) {
      start.kill("SIGTERM"); // stops its server, then its database
      await until("start.mjs to stop", () => start.exitCode !== null || start.signalCode !== null).catch(() => start.kill("SIGKILL"));
    }
    if (serverPid && alive(serverPid)) process.kill(serverPid, "SIGKILL");
    const pidFile = path.join(pgDir, "postmaster.pid");
    postmasterPid ??= fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) : null;
    if (postmasterPid && alive(postmasterPid)) {
      process.kill(postmasterPid, "SIGINT"); // fast shutdown
      await until("the embedded PostgreSQL to stop", () => !alive(postmasterPid!));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
