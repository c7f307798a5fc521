import fs from "node:fs";
import os from "node:os";
import { execFile } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { startServer } from "./server-process";

// Every request body has a limit before it is read (server/body-limits.ts, app/lib/body-limits.ts),
// enforced at the server's edge from Content-Length and while streaming. A real server process:
// what is measured is whether one anonymous body stalls everyone else.

let proc: ChildProcess;
let base: string;

beforeAll(async () => {
  ({ base, proc } = await startServer({ RATE_LIMIT_SCALE: "100" }));
}, 30_000);

afterAll(() => {
  proc?.kill();
});

type Sent = { status: number; ms: number; body: string };

/**
 * Sends `size` bytes of `chunk` repeated, from a separate curl process (so the sender's work does
 * not slow this process's /healthz probe), with Content-Length or chunked; resolves with the answer.
 */
async function send(
  path: string,
  size: number,
  { type = "application/x-www-form-urlencoded", chunked = false, chunk = "a&" } = {},
): Promise<Sent> {
  const file = path.replace(/\W/g, "_") + `-${size}-${chunk.length}`;
  const full = `${os.tmpdir()}/ocop-body-${file}`;
  if (!fs.existsSync(full)) {
    const block = Buffer.from(chunk.repeat(Math.ceil(65_536 / chunk.length))).subarray(0, 65_536);
    const fd = fs.openSync(full, "w");
    for (let n = 0; n < size; n += block.length) fs.writeSync(fd, block, 0, Math.min(block.length, size - n));
    fs.closeSync(fd);
  }
  // "Expect:" off: a browser never waits for 100-continue (the server's early answer to one that does is tested below).
  const args = [
    "-s",
    "-o",
    "-",
    "-w",
    "\n%{http_code}",
    "-X",
    "POST",
    "-H",
    "Expect:",
    "-H",
    `Content-Type: ${type}`,
    "-H",
    `Origin: ${base}`,
    "-T",
    full,
  ];
  if (chunked) args.push("-H", "Transfer-Encoding: chunked");
  const started = performance.now();
  const out = await new Promise<string>((resolve) => {
    execFile("curl", [...args, `${base}${path}`], { maxBuffer: 1024 * 1024 }, (_e, stdout) => resolve(stdout));
  });
  const cut = out.lastIndexOf("\n");
  return { status: Number(out.slice(cut + 1)), ms: performance.now() - started, body: out.slice(0, cut) };
}

async function healthzMs(): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${base}/healthz`);
  await res.text();
  expect(res.status).toBe(200);
  return performance.now() - t;
}

/** The slowest /healthz seen while `work` runs, sampled every 20 ms. */
async function slowestHealthzDuring<T>(work: Promise<T>): Promise<{ result: T; slowest: number }> {
  let done = false;
  let slowest = 0;
  const sampler = (async () => {
    while (!done) {
      slowest = Math.max(slowest, await healthzMs());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const result = await work.finally(() => (done = true));
  await sampler;
  return { result, slowest };
}

const MB = 1024 * 1024;

// The slowest of a few idle probes in this run: on a loaded 2-core machine a probe alone can take
// tens of ms, so the bound is 100 ms on top of that (the old code took 3–37 s).
let idleSlowest = 0;
async function idleBaseline() {
  for (let i = 0; i < 10; i++) idleSlowest = Math.max(idleSlowest, await healthzMs());
}

describe("request bodies have limits at the server's edge", () => {
  it("answers a 20 MB urlencoded form body 413 in well under a second while /healthz stays fast", async () => {
    await idleBaseline();
    const { result, slowest } = await slowestHealthzDuring(send("/login", 20 * MB));
    expect(result.status).toBe(413);
    expect(result.ms).toBeLessThan(500);
    expect(slowest).toBeLessThan(100 + idleSlowest);
  });

  it("stops reading a chunked body (no Content-Length) once it passes the limit", async () => {
    const { result, slowest } = await slowestHealthzDuring(send("/signup", 20 * MB, { chunked: true }));
    expect(result.status).toBe(413);
    expect(result.ms).toBeLessThan(1000);
    expect(slowest).toBeLessThan(100 + idleSlowest);
  });

  it("refuses two big bodies at once as fast as one", async () => {
    // (Past the refusal the server drops up to 32 MB more of what is still arriving, so that the
    // client reads the 413 before the connection closes; an 80 MB sender is cut off instead.)
    const [a, b] = await Promise.all([send("/cart", 30 * MB), send("/claim", 30 * MB, { chunked: true })]);
    expect([a.status, b.status]).toEqual([413, 413]);
    expect(Math.max(a.ms, b.ms)).toBeLessThan(1000);
  });

  it("gives the webhook and the cosignature small limits of their own", async () => {
    expect((await send("/webhooks/stripe", 2 * MB, { type: "application/json", chunk: "{}" })).status).toBe(413);
    expect((await send("/log/cosignature", 64 * 1024, { type: "text/plain", chunk: "x" })).status).toBe(413);
  });

  it("caps the number of fields of a small form", async () => {
    const res = await send("/login", 4000, { chunk: "a=&" });
    expect(res.status).toBe(413);
    expect(res.body).toMatch(/quá nhiều trường|too many fields/i);
  });

  it("lets an upload route take a multipart body up to its own limit, and no further", async () => {
    const boundary = "----ocopbody";
    const type = `multipart/form-data; boundary=${boundary}`;
    // 3 MB to the anonymous photo scan: over the form limit, under the upload one; the route answers (not the edge).
    const fine = await send("/scan", 3 * MB, { type, chunk: "x" });
    expect(fine.status).not.toBe(413);
    expect(fine.status).toBeLessThan(500);
    const over = await send("/scan", 30 * MB, { type, chunk: "x", chunked: true });
    expect(over.status).toBe(413);
    // A multipart body to a route that takes no file gets the small form limit.
    expect((await send("/login", 3 * MB, { type, chunk: "x" })).status).toBe(413);
  });

  it("answers a client that waits for 100-continue with 413 before it sends the body", async () => {
    const started = performance.now();
    const out = await new Promise<string>((resolve) => {
      execFile(
        "curl",
        [
          "-s",
          "-o",
          "/dev/null",
          "-w",
          "%{http_code} %{size_upload}",
          "-H",
          "Expect: 100-continue",
          "-H",
          "Content-Type: application/x-www-form-urlencoded",
          "-H",
          `Origin: ${base}`,
          "--data-binary",
          `@${os.tmpdir()}/ocop-body-_login-${20 * MB}-2`,
          `${base}/login`,
        ],
        (_e, stdout) => resolve(stdout),
      );
    });
    const [status, uploaded] = out.split(" ");
    expect(status).toBe("413");
    expect(Number(uploaded)).toBeLessThan(MB); // the body was never sent
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("still serves an ordinary form post", async () => {
    const res = await fetch(`${base}/locale`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
      body: new URLSearchParams({ locale: "en", redirectTo: "/" }),
    });
    expect(res.status).toBe(302);
  });
});
