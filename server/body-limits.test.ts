import http from "node:http";
import express from "express";
import type { BodyDecision } from "../app/lib/body-limits";
import type { BodyDecider } from "../app/server-contract";
import { bodyLimits, refuseBadAddresses } from "./body-limits";
import { listen } from "./test-server";

// The rule itself is the app's (app/lib/body-limits.ts, with its own tests); here a fixed one,
// to check how the edge applies a decision: refuses, reads within the limit, streams uploads.
const FORM: BodyDecision = { ok: true, bytes: 100, fields: 3, stream: false, kind: "urlencoded" };
const decide: BodyDecider = (method, path, contentType, contentLength) => {
  if (method === "PUT") return { ok: false, status: 405, reason: "method" };
  if (method === "GET" || method === "HEAD") return { ok: true, bytes: 0, fields: 0, stream: false, kind: "empty" };
  if (path === "/upload") return { ok: true, bytes: 100, fields: 3, stream: true, kind: "multipart" };
  if (path === "/multipart") return { ok: true, bytes: 1000, fields: 3, stream: false, kind: "multipart" };
  if (contentType?.startsWith("application/json")) return { ok: false, status: 415, reason: "type" };
  if (contentLength !== null && contentLength > FORM.bytes) return { ok: false, status: 413, reason: "size" };
  return FORM;
};
const countAmpersands = (body: Buffer) => (body.length > 0 ? body.toString().split("&").length : 0);

describe("the edge's body limits", () => {
  let served: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    const app = express();
    app.use(refuseBadAddresses);
    app.use(bodyLimits(decide, countAmpersands));
    app.use((req, res) => {
      const body = req.limitedBody;
      if (body === undefined) return void res.end("no body");
      if (Buffer.isBuffer(body)) return void res.end(`buffered ${body.length}`);
      let seen = 0;
      body.on("data", (chunk: Buffer) => (seen += chunk.length));
      body.on("end", () => res.end(`streamed ${seen}`));
      body.on("error", () => {});
    });
    served = await listen(app);
  });
  afterAll(() => served.close());

  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${served.base}${path}`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });

  it("hands a small form on, read", async () => {
    const answer = await post("/login", "a=1&b=2");
    expect(await answer.text()).toBe("buffered 7");
    expect(await (await fetch(`${served.base}/`)).text()).toBe("no body");
  });

  it("refuses a declared length over the limit with 413, in the client's format", async () => {
    const page = await post("/login", "a=".padEnd(200, "x"), { accept: "text/html" });
    expect([page.status, page.headers.get("cache-control")]).toEqual([413, "no-store"]);
    expect(await page.text()).toContain("Dữ liệu gửi lên quá lớn.");
    const api = await post("/api/x", "a=".padEnd(200, "x"));
    expect(await api.json()).toEqual({ error: "The data sent is too large.", message: "Dữ liệu gửi lên quá lớn.", status: 413 });
    const plain = await post("/login", "a=".padEnd(200, "x"));
    expect(await plain.text()).toBe("Dữ liệu gửi lên quá lớn. / The data sent is too large.\n");
  });

  it("cuts a streamed body at its limit", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${served.base}/login`);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write("a=".padEnd(150, "x"));
    });
    expect(status).toBe(413);
  });

  it("refuses too many fields, a NUL in a form, and a bad length", async () => {
    expect((await post("/login", "a&b&c&d")).status).toBe(413);
    expect((await post("/login", "a=%00")).status).toBe(400);
    const bad = await new Promise<number>((resolve, reject) => {
      const url = new URL(served.base);
      const req = http.request(
        { host: url.hostname, port: url.port, path: "/login", method: "POST", headers: { "content-length": "1x" } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on("error", reject);
      req.end();
    });
    expect(bad).toBe(400);
  });

  it("answers the rule's refusals: 405 with Allow, 415", async () => {
    const put = await fetch(`${served.base}/login`, { method: "PUT", body: "x" });
    expect([put.status, put.headers.get("allow")]).toEqual([405, "GET, HEAD, POST"]);
    expect((await post("/login", "{}", { "content-type": "application/json" })).status).toBe(415);
  });

  it("refuses a multipart body that does not parse, streams an upload within its limit", async () => {
    expect((await post("/multipart", "--x\r\nbroken", { "content-type": "multipart/form-data; boundary=x" })).status).toBe(400);
    const form = new FormData();
    form.set("a", "1");
    expect(await (await fetch(`${served.base}/multipart`, { method: "POST", body: form })).text()).toMatch(/^buffered \d+$/);
    const upload = await post("/upload", "x".repeat(50), { "content-type": "multipart/form-data; boundary=x" });
    expect(await upload.text()).toBe("streamed 50");
    expect((await post("/upload", "x".repeat(150), { "content-type": "multipart/form-data; boundary=x" })).status).toBe(413);
  });

  it("refuses an address with a NUL byte or bad percent-encoding", async () => {
    expect((await fetch(`${served.base}/a%00b`)).status).toBe(400);
    expect((await fetch(`${served.base}/?q=%00`)).status).toBe(400);
    expect((await fetch(`${served.base}/%E0%A4%A`)).status).toBe(400);
  });
});
