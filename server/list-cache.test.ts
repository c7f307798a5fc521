import http from "node:http";
import zlib from "node:zlib";
import express from "express";
import type { AppLoadContext } from "@remix-run/node";
import { listCache, type RenderPage, type ViewerHeader } from "./list-cache";
import { listen } from "./test-server";

describe("the anonymous list cache", () => {
  let served: Awaited<ReturnType<typeof listen>>;
  afterEach(() => served?.close());
  let nonces = 0;

  async function serve(render: RenderPage, ttlMs = 60_000, refreshed: string[] = [], viewerHeader?: ViewerHeader) {
    const app = express();
    app.use((_req, res, next) => {
      res.locals.cspNonce = `n${++nonces}`;
      next();
    });
    app.use(
      listCache(render, {
        ttlMs,
        loadContext: (res) => ({ cspNonce: res.locals.cspNonce }),
        refreshCsp: (_req, _res, nonce) => void refreshed.push(nonce),
        viewerHeader,
      }),
    );
    app.use((_req, res) => res.status(418).end("not cached"));
    served = await listen(app);
    return served.base;
  }

  const counting = (status = 200, headers: Record<string, string> = {}) => {
    const calls: { url: string; context: AppLoadContext }[] = [];
    const render: RenderPage = (request, context) => {
      calls.push({ url: request.url, context });
      return Promise.resolve(new Response(`render ${calls.length}`, { status, headers }));
    };
    return { render, calls };
  };

  it("renders / once, then answers from memory with the nonce it was rendered with", async () => {
    const { render, calls } = counting();
    const refreshed: string[] = [];
    const base = await serve(render, 60_000, refreshed);
    const first = await fetch(`${base}/`);
    expect([first.headers.get("x-list-cache"), await first.text()]).toEqual(["miss", "render 1"]);
    const second = await fetch(`${base}/`);
    expect([second.headers.get("x-list-cache"), await second.text()]).toEqual(["hit", "render 1"]);
    expect(calls).toHaveLength(1);
    expect(refreshed).toEqual([calls[0]!.context.cspNonce]);
  });

  it("keys on the address and the lang cookie", async () => {
    const { render, calls } = counting();
    const base = await serve(render);
    await fetch(`${base}/products?q=a`);
    await fetch(`${base}/products?q=b`);
    await fetch(`${base}/products?q=a`, { headers: { cookie: "lang=en" } });
    await fetch(`${base}/products?q=a`, { headers: { cookie: "theme=x; lang=en" } });
    expect(calls).toHaveLength(3);
  });

  it("shares one render among concurrent misses", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let renders = 0;
    const base = await serve(async () => {
      renders++;
      await gate;
      return new Response("list");
    });
    const pending = Promise.all([fetch(`${base}/`), fetch(`${base}/`), fetch(`${base}/`)]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const answers = await pending;
    expect(renders).toBe(1);
    expect(await Promise.all(answers.map((a) => a.text()))).toEqual(["list", "list", "list"]);
  });

  it("never serves a visitor with a session, cart or acting cookie, nor other paths or methods", async () => {
    const { render, calls } = counting();
    const base = await serve(render);
    for (const cookie of ["ocop_session=1", "a=b; ocop_cart=2", "ocop_acting=3"])
      expect((await fetch(`${base}/`, { headers: { cookie } })).status).toBe(418);
    expect((await fetch(`${base}/producer`)).status).toBe(418);
    expect((await fetch(`${base}/products/abc.data`)).status).toBe(418);
    expect((await fetch(`${base}/`, { method: "HEAD" })).status).toBe(418);
    expect(calls).toHaveLength(0);
  });

  it("keeps only a plain 200 page without cookies", async () => {
    for (const [status, headers] of [
      [500, {}],
      [200, { "Set-Cookie": "lang=vi" }],
    ] as const) {
      const { render, calls } = counting(status, headers);
      const base = await serve(render);
      await fetch(`${base}/`);
      await fetch(`${base}/`);
      expect(calls).toHaveLength(2);
      await served.close();
    }
  });

  it("is off with a TTL of 0", async () => {
    const base = await serve(counting().render, 0);
    expect((await fetch(`${base}/`)).status).toBe(418);
  });

  // A page as the root renders it for nobody: the header, then the island, then the body.
  const island = (json: string) => `<script type="application/json" id="ocop-viewer">${json}</script>`;
  const shopPage = (header: string, body: string) =>
    `<html><body><header>${header}</header>${island('{"user":null,"cartItems":0}')}<main>${body}</main></body></html>`;
  // Whose header: the session cookie's value names the visitor, the cart cookie the count.
  const headerOf: ViewerHeader = (request) => {
    const cookie = request.headers.get("cookie") ?? "";
    const name = /ocop_session=([^;]*)/.exec(cookie)?.[1] ?? "";
    const cart = /ocop_cart=([^;]*)/.exec(cookie)?.[1] ?? "0";
    return Promise.resolve({
      headerHtml: `<header>${name ? `${name} ` : ""}cart ${cart}</header>`,
      islandText: JSON.stringify({ user: name ? { name, roles: [] } : null, cartItems: Number(cart) }),
    });
  };

  it("writes each visitor's own header and island into one kept render, whoever comes first", async () => {
    for (const order of [
      ["An", "Bình"],
      ["Bình", "An"],
    ] as const) {
      const calls: string[] = [];
      const base = await serve(
        (request) => {
          calls.push(request.headers.get("cookie") ?? "");
          return Promise.resolve(new Response(shopPage("cart 0", "Chè búp")));
        },
        60_000,
        [],
        headerOf,
      );
      const carts = { An: "2", Bình: "5" } as const;
      for (const name of order) {
        const page = await fetch(`${base}/products/p1`, { headers: { cookie: `ocop_session=${name}; ocop_cart=${carts[name]}` } });
        const html = await page.text();
        expect(html).toContain(`<header>${name} cart ${carts[name]}</header>`);
        expect(html).toContain(island(JSON.stringify({ user: { name, roles: [] }, cartItems: Number(carts[name]) })));
        expect(html).toContain("<main>Chè búp</main>");
        expect(html).not.toContain(name === "An" ? "Bình" : "An");
        expect(page.headers.get("cache-control")).toBe("private, no-store");
      }
      const anonymous = await (await fetch(`${base}/products/p1`)).text();
      expect(anonymous).toBe(shopPage("cart 0", "Chè búp"));
      // One render, for nobody: the private cookies never reach it.
      expect(calls).toEqual([""]);
      await served.close();
    }
  });

  // GET with a chosen Accept-Encoding and no automatic decoding (fetch would hide the encoding).
  function rawGet(url: string, headers: Record<string, string>) {
    return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on("error", reject);
    });
  }

  it("sends a kept page gzipped from pieces compressed once, each visitor's header in its place", async () => {
    const body = "Chè búp Tân Cương ".repeat(2000);
    const base = await serve(() => Promise.resolve(new Response(shopPage("cart 0", body))), 60_000, [], headerOf);
    await fetch(`${base}/products/p1`);
    for (const cookie of ["", "ocop_session=An; ocop_cart=2", "ocop_session=Bình; ocop_cart=5"]) {
      const plain = await rawGet(`${base}/products/p1`, cookie ? { cookie } : {});
      expect(plain.headers["content-encoding"]).toBeUndefined();
      const zipped = await rawGet(`${base}/products/p1`, { "accept-encoding": "gzip, deflate, br", ...(cookie ? { cookie } : {}) });
      expect(zipped.headers["content-encoding"]).toBe("gzip");
      expect(zipped.headers.vary).toMatch(/accept-encoding/i);
      expect(Number(zipped.headers["content-length"])).toBe(zipped.body.length);
      expect(zipped.body.length).toBeLessThan(plain.body.length / 10);
      expect(zlib.gunzipSync(zipped.body).equals(plain.body)).toBe(true);
      if (cookie) expect(plain.body.toString()).toContain(`<header>${cookie.includes("An") ? "An cart 2" : "Bình cart 5"}</header>`);
    }
  });

  it("renders for nobody with only the language and province cookies, and keys on both", async () => {
    const seen: string[] = [];
    const base = await serve(
      (request) => {
        seen.push(request.headers.get("cookie") ?? "");
        return Promise.resolve(new Response(shopPage("cart 0", "x")));
      },
      60_000,
      [],
      headerOf,
    );
    await fetch(`${base}/products/p1`, { headers: { cookie: "ocop_session=An; lang=en; ocop_province=79; theme=dark" } });
    await fetch(`${base}/products/p1`, { headers: { cookie: "lang=en; ocop_province=01" } });
    await fetch(`${base}/products/p1`, { headers: { cookie: "ocop_province=79; lang=en" } });
    expect(seen).toEqual(["lang=en; ocop_province=79", "lang=en; ocop_province=01"]);
  });

  it("gives a visitor with a private cookie a whole render when the kept page's header is not the one it would write", async () => {
    const base = await serve(() => Promise.resolve(new Response(shopPage("something else", "x"))), 60_000, [], headerOf);
    expect((await fetch(`${base}/`, { headers: { cookie: "ocop_cart=1" } })).status).toBe(418);
    expect(await (await fetch(`${base}/`)).text()).toBe(shopPage("something else", "x"));
  });

  it("drops every kept page on an invalidation, and a render that started before one is not kept", async () => {
    let renders = 0;
    let release = () => {};
    let gate: Promise<void> = Promise.resolve();
    const render: RenderPage = async () => {
      const n = ++renders;
      await gate;
      return new Response(shopPage("cart 0", `render ${n}`));
    };
    const app = express();
    app.use((_req, res, next) => {
      res.locals.cspNonce = "n";
      next();
    });
    const cache = listCache(render, { ttlMs: 60_000, loadContext: () => ({}), refreshCsp: () => {}, viewerHeader: headerOf });
    app.use(cache);
    served = await listen(app);
    const text = async () => (await fetch(`${served.base}/products`)).text();
    expect(await text()).toContain("render 1");
    expect(await text()).toContain("render 1");
    cache.invalidate();
    expect(await text()).toContain("render 2");
    gate = new Promise<void>((resolve) => (release = resolve));
    cache.invalidate();
    const slow = text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    cache.invalidate(); // a recall committed while render 3 was reading
    release();
    expect(await slow).toContain("render 3");
    gate = Promise.resolve();
    expect(await text()).toContain("render 4");
    // While the change listener is down nothing is kept.
    cache.setEnabled(false);
    expect((await fetch(`${served.base}/products`)).status).toBe(404);
  });
});
