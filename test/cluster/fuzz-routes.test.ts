import fs from "node:fs";
import path from "node:path";
import { spawnSync, type ChildProcess } from "node:child_process";
import { prisma } from "~/db.server";
import { cookieFor } from "../helpers";
import { startServer } from "./server-process";

// Every route of the app, walked as an outside attacker would with curl against a real server on
// the demo data: real ids and broken ones (%00, %ff, overlong UTF-8, 3,000 characters), odd query
// strings, JSON, XML and malformed multipart where a form is expected, DELETE/PATCH/PUT; anonymous,
// as a producer and as an admin. No answer may be a 5xx: the database is up, so each of these is
// the client's fault and gets a 4xx (or an ordinary page).

let proc: ChildProcess;
let base = "";

/** Flat route file name → URL path pattern with its params (`:name`), as Remix's flat routes read it. */
function routePath(file: string): string | null {
  const name = file.replace(/\.tsx$/, "");
  const segments: string[] = [];
  for (const raw of name.match(/(\[[^\]]*\]|[^.[\]]+)+/g) ?? []) {
    let seg = raw.replace(/\[([^\]]*)\]/g, "$1");
    if (seg === "_index") continue;
    if (seg.endsWith("_")) seg = seg.slice(0, -1);
    if (seg.startsWith("_")) continue; // pathless layout
    segments.push(seg.startsWith("$") ? `:${seg.slice(1)}` : seg);
  }
  return `/${segments.join("/")}`;
}

const BAD_PARAMS = ["%00", "%ff", "%C0%80", "x".repeat(3000), "..%2F..%2Fetc%2Fpasswd", "1e400"];
const QUERIES = [
  "",
  "?q=%ff&page=-1&sort=%27",
  "?page=99999999999999999999&pageSize=1e9&first=1e20&second=1e21&index=-5&redirectTo=%2F%2Fevil.example",
  `?q=${"%E1%BB%87".repeat(400)}`,
];

type Body = { type?: string; body?: string };
const BODIES: Body[] = [
  {},
  { type: "application/x-www-form-urlencoded", body: "intent=x&a=%ff&__proto__=1&quantity=-1&quantity=1e400&productId=%FF" },
  { type: "application/json", body: '{"intent":"x","__proto__":{"a":1}}' },
  { type: "text/xml", body: "<a>1</a>" },
  { type: "multipart/form-data; boundary=zz", body: '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--zz' }, // cut short
  { type: "multipart/form-data", body: "no boundary at all" },
  { type: "application/x-www-form-urlencoded", body: "a=%00" },
];

beforeAll(async () => {
  const seeded = spawnSync(path.resolve("node_modules/.bin/tsx"), ["prisma/seed.ts"], { env: process.env, encoding: "utf8" });
  expect(seeded.status, seeded.stderr).toBe(0);
  ({ base, proc } = await startServer({ RATE_LIMIT_SCALE: "1000" }));
}, 120_000);

afterAll(() => {
  proc?.kill();
});

async function realParams(): Promise<Record<string, string[]>> {
  const batch = await prisma.batch.findFirstOrThrow({
    where: { product: { gtin: { not: null } } },
    include: { product: true, codes: { take: 3 } },
  });
  const unit = await prisma.traceCode.findFirst({
    where: { kind: "UNIT", serial: { not: null } },
    include: { batch: { include: { product: true } } },
  });
  const certificate = await prisma.ocopCertificate.findFirst();
  const order = await prisma.order.findFirst();
  const recall = await prisma.recall.findFirst();
  const inspection = await prisma.inspection.findFirst();
  return {
    gtin: [batch.product.gtin!, unit?.batch.product.gtin ?? batch.product.gtin!],
    lot: [batch.lotCode, unit?.batch.lotCode ?? batch.lotCode],
    serial: unit?.serial ? [unit.serial] : [],
    code: [...batch.codes.map((c) => c.code), ...(order ? [order.code] : [])],
    id: [batch.id, ...(inspection ? [inspection.id] : [])],
    batchId: [batch.id],
    productId: [batch.productId],
    certificateId: certificate ? [certificate.id] : [],
    recallId: recall ? [recall.id] : [],
    size: ["1", "2"],
    index: ["0"],
    key: [],
    checkoutId: [],
    jobId: [],
    token: [],
  };
}

function fill(pattern: string, value: (name: string) => string): string {
  return pattern.replace(/:(\w+)/g, (_m, name: string) => value(name));
}

describe("a walk of every route with an attacker's inputs", () => {
  it("never answers 5xx", async () => {
    const routes = fs
      .readdirSync("app/routes")
      .filter((f) => f.endsWith(".tsx"))
      .map(routePath)
      .filter((p): p is string => p !== null);
    expect(routes.length).toBeGreaterThan(60);
    const real = await realParams();
    const producer = await prisma.user.findFirstOrThrow({ where: { roles: { some: { role: "PRODUCER" } }, memberships: { some: {} } } });
    const admin = await prisma.user.findFirstOrThrow({ where: { roles: { some: { role: "ADMIN" } } } });
    const cookies = [undefined, await cookieFor(producer.id), await cookieFor(admin.id)];

    // Real addresses (with odd query strings) get every body from every user; broken params get
    // every body anonymously and a GET from each user (a signed-in loader is where ids reach SQL).
    const realUrls = new Set<string>();
    const badUrls = new Set<string>(["/media/%ff"]);
    for (const route of routes) {
      const names = [...route.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const realUrl = fill(route, (n) => real[n]?.[0] ?? "0");
      for (const q of QUERIES) realUrls.add(realUrl + q);
      for (const n of names)
        for (const v of real[n]?.slice(1) ?? []) realUrls.add(fill(route, (m) => (m === n ? v : (real[m]?.[0] ?? "0"))));
      for (const bad of BAD_PARAMS) for (const n of names) badUrls.add(fill(route, (m) => (m === n ? bad : (real[m]?.[0] ?? "0"))));
    }
    for (const bad of BAD_PARAMS) badUrls.add(`/${bad}`);

    type Probe = { method: string; url: string; cookie?: string } & Body;
    const probes: Probe[] = [];
    for (const url of realUrls) {
      for (const cookie of cookies) {
        probes.push({ method: "GET", url, cookie });
        for (const body of BODIES) probes.push({ method: "POST", url, cookie, ...body });
      }
      for (const method of ["DELETE", "PATCH", "PUT", "OPTIONS", "HEAD"])
        probes.push({
          method,
          url,
          cookie: cookies[1],
          type: "application/x-www-form-urlencoded",
          body: method === "HEAD" ? undefined : "a=1",
        });
    }
    for (const url of badUrls) {
      for (const cookie of cookies) probes.push({ method: "GET", url, cookie });
      for (const body of BODIES) probes.push({ method: "POST", url, ...body });
    }
    // The public log's cosignature with a size past any integer.
    probes.push({
      method: "POST",
      url: "/log/cosignature",
      type: "text/plain",
      body: "ocop-trace.example/log\n100000000000000000000\nAAAA\n\n— w x\n",
    });
    probes.push({ method: "POST", url: "/log/cosignature", type: "text/plain", body: "\u0000\u00ff" });

    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        const p = probes[next++]!;
        const headers: Record<string, string> = { Origin: base, Accept: "text/html" };
        if (p.cookie) headers.Cookie = p.cookie;
        if (p.type) headers["Content-Type"] = p.type;
        const res = await fetch(`${base}${p.url}`, { method: p.method, headers, body: p.body, redirect: "manual" }).catch((e: Error) => ({
          status: 599,
          text: () => Promise.resolve(e.message),
        }));
        if (res.status >= 500)
          failures.push(
            `${res.status} ${p.method} ${p.url.slice(0, 120)} ${p.type ?? ""} ${p.cookie ? "(signed in)" : ""}: ${(await res.text()).slice(0, 160).replace(/\s+/g, " ")}`,
          );
        else if ("body" in res) await res.arrayBuffer().catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    console.log(`fuzz walk: ${probes.length} requests over ${routes.length} routes, ${failures.length} 5xx`);
    expect(failures).toEqual([]);
  }, 600_000);
});
