import express from "express";
import type { DirectPage } from "../app/server-contract";
import { directPageFor, directPages } from "./direct-pages";
import { listen } from "./test-server";

const page: DirectPage = { path: /^\/p\/([^/]+)\/?$/, answer: (_request, param) => Promise.resolve(new Response(`page ${param}`)) };

describe("which requests a direct page answers", () => {
  it("a plain GET or HEAD of its path, with the parameter decoded", () => {
    expect(directPageFor([page], "GET", "/p/abc")?.param).toBe("abc");
    expect(directPageFor([page], "HEAD", "/p/abc/")?.param).toBe("abc");
    expect(directPageFor([page], "GET", "/p/a%20b")?.param).toBe("a b");
  });

  it("leaves everything else to Remix", () => {
    expect(directPageFor([page], "POST", "/p/abc")).toBeNull();
    expect(directPageFor([page], "GET", "/p/abc.data")).toBeNull();
    expect(directPageFor([page], "GET", "/p/abc/report")).toBeNull();
    expect(directPageFor([page], "GET", "/p/%E0%A4%A")).toBeNull();
    expect(directPageFor([], "GET", "/p/abc")).toBeNull();
  });
});

describe("a direct page answering", () => {
  let served: Awaited<ReturnType<typeof listen>>;
  afterEach(() => served?.close());

  async function serve(pages: DirectPage[]) {
    const app = express();
    app.use(directPages(pages));
    app.use((_req, res) => res.status(418).end("remix"));
    app.use(((error, _req, res, _next) => res.status(500).end(String((error as Error).message))) as express.ErrorRequestHandler);
    served = await listen(app);
    return served.base;
  }

  it("writes the app's answer, and a thrown Response as an answer", async () => {
    // What an answer throws is unknown to its caller; here it is a Response, as Remix allows.
    const thrownAnswer: unknown = new Response("moved", { status: 302, headers: { Location: "/" } });
    const thrown: DirectPage = { path: /^\/gone\/([^/]+)$/, answer: () => Promise.reject(thrownAnswer) };
    const base = await serve([page, thrown]);
    const ok = await fetch(`${base}/p/x%2Fy`);
    expect([ok.status, await ok.text()]).toEqual([200, "page x/y"]);
    const moved = await fetch(`${base}/gone/1`, { redirect: "manual" });
    expect([moved.status, moved.headers.get("location")]).toEqual([302, "/"]);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(418);
  });

  it("leaves the request to Remix when the answer is null (the GS1 resolver answers only machine requests)", async () => {
    const base = await serve([
      { path: /^\/p\/([^/]+)$/, answer: (request) => Promise.resolve(request.url.includes("?m") ? new Response("machine") : null) },
    ]);
    expect(await (await fetch(`${base}/p/1?m`)).text()).toBe("machine");
    expect((await fetch(`${base}/p/1`)).status).toBe(418);
  });

  it("passes a failure on to the error handler", async () => {
    const base = await serve([{ path: /^\/p\/([^/]+)$/, answer: async () => Promise.reject(new Error("boom")) }]);
    const failed = await fetch(`${base}/p/1`);
    expect([failed.status, await failed.text()]).toEqual([500, "boom"]);
  });
});
