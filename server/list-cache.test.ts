import express from "express";
import type { AppLoadContext } from "@remix-run/node";
import { listCache, type RenderPage } from "./list-cache";
import { listen } from "./test-server";

describe("the anonymous list cache", () => {
  let served: Awaited<ReturnType<typeof listen>>;
  afterEach(() => served?.close());
  let nonces = 0;

  async function serve(render: RenderPage, ttlMs = 60_000, refreshed: string[] = []) {
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
    expect((await fetch(`${base}/products/abc`)).status).toBe(418);
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
});
