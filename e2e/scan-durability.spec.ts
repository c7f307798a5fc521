import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import Database from "better-sqlite3";
import { expect, PHONE_UA, test } from "./fixtures";

// Scans are written in batches off the request path; a graceful stop must still
// write every scan that was answered. This starts its own server to stop it.

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

test("no answered scan is lost when the server is stopped with SIGTERM", async () => {
  test.setTimeout(120_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-stop-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, PORT: String(port), APP_URL: base, DATA_DIR: dataDir, DATABASE_URL: `file:${path.join(dataDir, "stop.db")}`, SESSION_SECRET: "stop-test", SCAN_FLUSH_MS: "30000" },
    stdio: "ignore",
  });
  const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  const N = 40;
  const statuses = await Promise.all(Array.from({ length: N }, () => fetch(`${base}/t/CHETANCVNG2345ABCD`, { headers: { "User-Agent": PHONE_UA } }).then((r) => r.status)));
  expect(statuses.every((s) => s === 200)).toBe(true);
  server.kill("SIGTERM"); // held back for 30 s, so every one of these scans is still queued
  expect(await exited).toBe(0);
  const db = new Database(path.join(dataDir, "stop.db"), { readonly: true });
  const row = db.prepare(`SELECT c.scanCount AS counted, (SELECT COUNT(*) FROM Scan s WHERE s.codeId = c.id) AS rows FROM TraceCode c WHERE c.code = 'CHETANCVNG2345ABCD'`).get();
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  expect(row).toEqual({ counted: N, rows: N });
});
