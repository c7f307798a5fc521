import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findNginx, nginxConfig, waitForHealth } from "../../scripts/cluster.mjs";
import { freePort } from "../../scripts/postgres.mjs";

// The generated nginx config with two stand-in instances: one answers 503 as an instance that
// cannot reach its database does, the other answers 200. No app build is needed.
const nginxBin = findNginx();
let dir = "";
let proxy: ChildProcess | null = null;
let port = 0;
const servers: http.Server[] = [];
const hits = { sick: 0, well: 0 };

function standIn(status: number, name: keyof typeof hits): Promise<number> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      hits[name]++;
      res.writeHead(status, { "Content-Type": "text/plain", "X-Instance": name }).end(name);
    });
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

beforeAll(async () => {
  if (!nginxBin) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-nginx-"));
  fs.mkdirSync(path.join(dir, "tmp"));
  const upstreamPorts = [await standIn(503, "sick"), await standIn(200, "well")];
  port = await freePort();
  const conf = path.join(dir, "nginx.conf");
  fs.writeFileSync(conf, nginxConfig({ port, upstreamPorts, prefix: dir }));
  proxy = spawn(nginxBin, ["-c", conf, "-p", dir, "-g", "daemon off;"], { stdio: "ignore" });
  await waitForHealth(`http://127.0.0.1:${port}/anything`, 10_000);
}, 30_000);

afterAll(() => {
  proxy?.kill("SIGTERM");
  for (const s of servers) s.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!nginxBin)("nginx in front of an instance that answers 503", () => {
  it("a GET or HEAD that met a 503 is answered by the next instance", async () => {
    hits.sick = 0;
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/products?i=${i}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("X-Instance")).toBe("well");
      expect((await fetch(`http://127.0.0.1:${port}/`, { method: "HEAD" })).status).toBe(200);
    }
  });

  it("a POST is never sent twice: it gets the 503 when it met the sick instance", async () => {
    await new Promise((r) => setTimeout(r, 2_100)); // past fail_timeout, so the sick instance is tried again
    const before = { ...hits };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await fetch(`http://127.0.0.1:${port}/cart`, { method: "POST", body: "a=1" })).status);
      await new Promise((r) => setTimeout(r, 2_100));
    }
    expect(hits.sick + hits.well - before.sick - before.well).toBe(4); // each POST reached exactly one instance
    expect(statuses).toContain(503);
  }, 30_000);
});
