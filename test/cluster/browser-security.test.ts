import crypto from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { prisma } from "~/db.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { startServer } from "./server-process";
import { cookieFor, createProducer, createProductWithBatch, createUser, PHONE_UA } from "../helpers";

// What a browser is told on every response, and which writes another site's page may make:
// server/browser-security.ts, mounted once in server/index.ts. A real server process.

let proc: ChildProcess;
let base: string;
let productId: string;
let traceCode: string;

beforeAll(async () => {
  const { user, producer } = await createProducer();
  const { product, batch } = await createProductWithBatch(producer.id, "SEC-1");
  productId = product.id;
  traceCode = (await issueBatchCode(batch.id, user.id)).code;
  ({ base, proc } = await startServer({ LIST_CACHE_MS: "60000" }));
}, 30_000);

afterAll(() => {
  proc?.kill();
});

const get = (p: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${p}`, { headers: { "User-Agent": PHONE_UA, ...headers }, redirect: "manual" });

function directives(response: Response): Map<string, string[]> {
  const header = response.headers.get("Content-Security-Policy");
  expect(header, "a Content-Security-Policy header").toBeTruthy();
  return new Map(
    header!
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectHeaders(response: Response) {
  const csp = directives(response);
  expect(csp.get("default-src")).toEqual(["'self'"]);
  expect(csp.get("script-src")).toContain("'self'");
  expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
  expect(csp.get("style-src")).toEqual(["'self'"]);
  expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  expect(csp.get("object-src")).toEqual(["'none'"]);
  expect(csp.get("base-uri")).toEqual(["'self'"]);
  expect(csp.get("form-action")).toContain("'self'");
  expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
  expect(response.headers.get("X-Frame-Options")).toBe("DENY");
  expect(response.headers.get("Strict-Transport-Security"), "no HSTS over plain http").toBeNull();
  return csp;
}

/**
 * Every inline script of the page runs under the header's policy: by its nonce, or by its hash.
 * A data block (`type="application/json"`, the viewer island; `application/ld+json`, a page's
 * schema.org data) is never run, so no policy covers it.
 */
function expectInlineScriptsAllowed(html: string, csp: Map<string, string[]>) {
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].filter(
    ([, attrs]) => !/\ssrc=/.test(attrs!) && !/\stype="application\/(ld\+)?json"/.test(attrs!),
  );
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, attrs, body] of scripts) {
    const nonce = /\snonce="([^"]+)"/.exec(attrs!)?.[1];
    const hash = `'sha256-${crypto.createHash("sha256").update(body!, "utf8").digest("base64")}'`;
    expect(
      csp.get("script-src")!.includes(`'nonce-${nonce}'`) || csp.get("script-src")!.includes(hash),
      `inline script ${body!.slice(0, 60)}…`,
    ).toBe(true);
  }
}

describe("security headers", () => {
  it("are on the home page, and a page kept by the list cache is replayed with its own nonce", async () => {
    const first = await get("/");
    expect(first.headers.get("X-List-Cache")).toBe("miss");
    expectInlineScriptsAllowed(await first.text(), expectHeaders(first));
    const second = await get("/");
    expect(second.headers.get("X-List-Cache")).toBe("hit");
    expectInlineScriptsAllowed(await second.text(), expectHeaders(second));
  });

  // Product pages are kept like the lists since ADR 031: a kept copy is replayed with the nonce it was rendered with.
  it("are on a product page, and a kept copy is replayed with its own nonce", async () => {
    const [a, b] = [await get(`/products/${productId}`), await get(`/products/${productId}`)];
    expect(a.status).toBe(200);
    expect([a.headers.get("X-List-Cache"), b.headers.get("X-List-Cache")]).toEqual(["miss", "hit"]);
    expectInlineScriptsAllowed(await a.text(), expectHeaders(a));
    expectInlineScriptsAllowed(await b.text(), expectHeaders(b));
  });

  it("are on the plain scan document, whose location script runs by its hash", async () => {
    const response = await get(`/t/${traceCode}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('id="share-location"');
    expectInlineScriptsAllowed(html, expectHeaders(response));
    expectHeaders(await get("/t/KHONG-CO-MA"));
  });

  it("are on static files", async () => {
    const response = await get("/favicon.svg");
    expect(response.status).toBe(200);
    expectHeaders(response);
    expect(response.headers.get("Cross-Origin-Resource-Policy")).toBe("same-origin");
  });

  it("let other sites embed public product photos (/media), and nothing else", async () => {
    const photo = await get("/media/0123456789abcdef0123456789abcdef-640.webp");
    // A photo opened on its own runs nothing: a policy that lets only the image viewer style itself.
    expect(photo.headers.get("Content-Security-Policy")).toBe(
      "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    expect(photo.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(photo.headers.get("Cross-Origin-Resource-Policy")).toBe("cross-origin");
    expect((await get("/")).headers.get("Cross-Origin-Resource-Policy")).toBe("same-origin");
  });

  it("include HSTS only for a request that came over https through a trusted proxy", async () => {
    expect((await get("/", { "X-Forwarded-Proto": "https" })).headers.get("Strict-Transport-Security")).toBeNull(); // proxy not trusted
    const trusted = await startServer({ TRUST_PROXY: "loopback" });
    try {
      const viaTls = await fetch(`${trusted.base}/`, { headers: { "X-Forwarded-Proto": "https" } });
      expect(viaTls.headers.get("Strict-Transport-Security")).toMatch(/^max-age=\d{7,}/);
      expect((await fetch(`${trusted.base}/`)).headers.get("Strict-Transport-Security")).toBeNull();
    } finally {
      trusted.proc.kill();
    }
  }, 30_000);
});

describe("writes from another site", () => {
  const post = (p: string, headers: Record<string, string>, fields: Record<string, string> = {}) =>
    fetch(`${base}${p}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(fields),
      redirect: "manual",
    });
  const sessions = (userId: string) => prisma.session.count({ where: { userId } });

  it("a cross-origin logout is refused and the session lives on; a same-origin one logs out", async () => {
    const user = await createUser(["SHOPPER"]);
    const cookie = await cookieFor(user.id);
    const foreign: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site" },
      { Origin: base, "Sec-Fetch-Site": "cross-site" },
    ];
    for (const headers of foreign) {
      expect((await post("/logout", { Cookie: cookie, ...headers })).status, JSON.stringify(headers)).toBe(403);
    }
    expect(await sessions(user.id)).toBe(1);
    expect((await get("/orders", { Cookie: cookie })).status).toBe(200);
    const same = await post("/logout", { Cookie: cookie, Origin: base, "Sec-Fetch-Site": "same-origin" });
    expect(same.status).toBe(302);
    expect(await sessions(user.id)).toBe(0);
  });

  it("a cross-origin certificate revoke is refused and nothing changes; a same-origin one revokes", async () => {
    const { producer } = await createProducer("APPROVED", "HTX Chứng nhận");
    const { product } = await createProductWithBatch(producer.id, "SEC-2");
    const cert = await prisma.ocopCertificate.create({
      data: {
        productId: product.id,
        stars: 3,
        scoreA: 25,
        scoreB: 15,
        scoreC: 15,
        totalScore: 55,
        level: "PROVINCE",
        authority: "UBND",
        decisionNumber: "2/QĐ",
        decisionDate: new Date("2025-01-01"),
        validUntil: new Date("2028-01-01"),
      },
    });
    const admin = await cookieFor((await createUser(["ADMIN"])).id);
    const revoke = (headers: Record<string, string>) =>
      post(`/certificates/${cert.id}/revoke`, { Cookie: admin, ...headers }, { reason: "Hết hiệu lực", redirectTo: "/admin" });
    expect((await revoke({ Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect((await prisma.ocopCertificate.findUniqueOrThrow({ where: { id: cert.id } })).revokedAt).toBeNull();
    expect((await revoke({ Origin: base, "Sec-Fetch-Site": "same-origin" })).status).toBe(302);
    expect((await prisma.ocopCertificate.findUniqueOrThrow({ where: { id: cert.id } })).revokedAt).toBeInstanceOf(Date);
  });

  it("lets through a request without Origin or Sec-Fetch-Site (curl; SameSite=Lax keeps a browser's cookie off it), and the Stripe webhook", async () => {
    const user = await createUser(["SHOPPER"]);
    const cookie = await cookieFor(user.id);
    expect((await post("/logout", { Cookie: cookie })).status).toBe(302);
    expect(await sessions(user.id)).toBe(0);
    // Server-to-server and signed: checked by its signature (400 here), never by origin.
    expect(
      (await post("/webhooks/stripe", { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site", "Stripe-Signature": "t=1,v1=x" }))
        .status,
    ).not.toBe(403);
  });

  it("a login whose redirect leaves the site lands on the site", async () => {
    const user = await createUser(["SHOPPER"]);
    for (const redirectTo of ["/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example"]) {
      const response = await post("/login", { Origin: base }, { identifier: user.phone!, password: "mat-khau-thu", redirectTo });
      expect(response.status, redirectTo).toBe(302);
      expect(response.headers.get("Location"), redirectTo).toBe("/");
    }
  });
});
