// The producer app with no signal (docs/decisions/019-offline-pages.md): what the worker answers
// when neither the network nor the phone has a page, checked against Remix's own client decoder,
// the offline page in both languages, and /producer/offline's way back.
// @vitest-environment node
import { UNSAFE_SingleFetchRedirectSymbol } from "@remix-run/server-runtime";
// Remix's client-side decoder of single-fetch answers (not exported from the package's index).
import { decodeViaTurboStream } from "@remix-run/react/dist/single-fetch.js";
import { messages } from "~/i18n/messages";
import { args, cookieFor, createProducer, createUser, get, statusOf } from "../../test/helpers";
import * as offlineRoute from "~/routes/producer.offline";
import { manifestAnswer, parseBuildManifest, reloadAnswer } from "./offline-answer";
import { offlineTargetOf } from "./offline-page.client";
import { offlinePageHtml } from "./offline-page";
import { isAppPath, offlineDestination, offlinePageUrl, pageOfData, safeReturnPath } from "./scope";

const decode = async (res: Response) => (await decodeViaTurboStream(res.body!, globalThis)).value as Record<string | symbol, unknown>;

describe("where a page's data request leads offline", () => {
  it("names the page a single-fetch request is for, without Remix's _routes", () => {
    expect(pageOfData("http://x/producer/orders.data?_routes=routes%2Fproducer.orders._index")).toBe("/producer/orders");
    expect(pageOfData("http://x/producer.data")).toBe("/producer");
    expect(pageOfData("http://x/_root.data?_routes=root")).toBe("/");
    expect(pageOfData("http://x/products.data?q=nuoc+mam&_routes=a")).toBe("/products?q=nuoc+mam");
    expect(pageOfData("http://x/producer/batches/b1/events/new.data?kind=HARVESTING")).toBe(
      "/producer/batches/b1/events/new?kind=HARVESTING",
    );
  });

  it("keeps a page of the app at its own address and sends any other page to /producer/offline", () => {
    expect(offlineDestination("/producer/orders")).toBe("/producer/orders");
    expect(offlineDestination("/producer")).toBe("/producer");
    expect(offlineDestination("/products?q=che")).toBe(`/producer/offline?to=${encodeURIComponent("/products?q=che")}`);
    expect(offlineDestination("/")).toBe("/producer/offline?to=%2F");
    expect(offlineDestination("/producer/offline")).toBe("/producer/offline?to=%2Fproducer%2Foffline");
    // Never another host.
    expect(offlineDestination("//evil.example/x")).toBe("/producer");
    expect(offlineDestination("https://evil.example/")).toBe("/producer");
    // Not the app: a path that only starts with the same letters.
    expect(isAppPath("/producers")).toBe(false);
    expect(offlineDestination("/producers")).toBe("/producer/offline?to=%2Fproducers");
  });

  it("accepts same-site paths only as a way back", () => {
    for (const bad of [
      null,
      undefined,
      "",
      "producer",
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
      "/a\nb",
      "/".repeat(2001),
    ])
      expect(safeReturnPath(bad)).toBeNull();
    expect(safeReturnPath("/cart")).toBe("/cart");
    expect(safeReturnPath("/producer/orders?x=1")).toBe("/producer/orders?x=1");
  });
});

describe("the worker's answers, as Remix's client reads them", () => {
  it("a loader request with no copy: a redirect that reloads the whole page (the worker answers that page)", async () => {
    const res = reloadAnswer({ url: "http://x/producer/orders.data?_routes=routes%2Fproducer.orders._index", method: "GET" });
    expect(res.status).toBe(202);
    expect(res.headers.get("X-Remix-Response")).toBe("yes");
    const value = await decode(res);
    expect(value[UNSAFE_SingleFetchRedirectSymbol]).toEqual({
      redirect: "/producer/orders",
      status: 302,
      revalidate: false,
      reload: true,
      replace: false,
    });
  });

  it("a shop page's data: to the offline page naming it", async () => {
    const value = await decode(reloadAnswer({ url: "http://x/products.data?_routes=routes%2Fproducts._index", method: "GET" }));
    expect((value[UNSAFE_SingleFetchRedirectSymbol] as { redirect: string }).redirect).toBe("/producer/offline?to=%2Fproducts");
  });

  it("an action (a form sent offline): the redirect itself, back to the page the form was on", async () => {
    const value = await decode(reloadAnswer({ url: "http://x/locale.data", method: "POST", referrer: "http://x/producer/orders" }));
    expect(value).toEqual({ redirect: "/producer/orders", status: 302, revalidate: false, reload: true, replace: false });
    const fromShop = await decode(reloadAnswer({ url: "http://x/cart.data", method: "POST", referrer: "http://x/cart" }));
    expect(fromShop.redirect).toBe("/producer/offline?to=%2Fcart");
    const foreign = await decode(reloadAnswer({ url: "http://x/cart.data", method: "POST", referrer: "https://evil.example/cart" }));
    expect(foreign.redirect).toBe("/producer");
  });

  const build = `window.__remixManifest={"entry":{"module":"/build/e.js","imports":[]},"routes":{"root":{"id":"root","path":""},"routes/producer.orders._index":{"id":"routes/producer.orders._index","parentId":"root","path":"producer/orders"}},"version":"62559cf0","url":"/build/manifest-62559CF0.js"};`;

  it("route discovery offline: every route of the worker's build", async () => {
    const manifest = parseBuildManifest(build);
    expect(manifest?.version).toBe("62559cf0");
    const res = manifestAnswer("http://x/__manifest?p=%2Fproducer%2Forders&version=62559cf0", manifest);
    expect(res.status).toBe(200);
    expect(Object.keys((await res.json()) as object)).toEqual(["root", "routes/producer.orders._index"]);
  });

  it("route discovery for a page of another build, or with no manifest: Remix's 'reload the document' answer", () => {
    for (const res of [
      manifestAnswer("http://x/__manifest?p=%2Fa&version=0000", parseBuildManifest(build)),
      manifestAnswer("http://x/__manifest?p=%2Fa&version=62559cf0", null),
    ]) {
      expect(res.status).toBe(204);
      expect(res.headers.get("X-Remix-Reload-Document")).toBe("yes");
    }
    expect(parseBuildManifest("window.x = 1;")).toBeNull();
    expect(parseBuildManifest("not json {")).toBeNull();
  });
});

describe("the offline page", () => {
  const keys = Object.keys(messages.vi).filter((k) => k.startsWith("offline.") && !["offline.banner", "offline.needsNetwork"].includes(k));

  it.each(["vi", "en"] as const)("in %s: every line of its messages, the app's stylesheet and script, a status line", (locale) => {
    const html = offlinePageHtml(locale, { css: "/build/_assets/tailwind-AAAA.css", script: "/pwa/offline.js" });
    expect(html.startsWith('<!DOCTYPE html><html lang="' + locale + '">')).toBe(true);
    const text = html
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    for (const k of keys) expect(text, k).toContain((messages[locale] as Record<string, string>)[k]);
    expect(html).toContain('<link rel="stylesheet" href="/build/_assets/tailwind-AAAA.css"/>');
    expect(html).toContain('<script src="/pwa/offline.js" defer="">');
    expect(html).toMatch(/role="status"/);
    expect(html).not.toMatch(/offline\.(title|lead|works|waits|retry|home|banner|document)/); // no key left untranslated
  });

  it("is chosen by the app's language, Vietnamese when unknown", () => {
    expect(offlinePageUrl("en")).toBe("/pwa/offline.en.html");
    expect(offlinePageUrl("vi")).toBe("/pwa/offline.vi.html");
    expect(offlinePageUrl("fr")).toBe("/pwa/offline.vi.html");
  });

  it("tries again at the page asked for: its own address in the app, or the one /producer/offline names", () => {
    expect(offlineTargetOf({ pathname: "/producer/products/new", search: "" })).toBe("/producer/products/new");
    expect(offlineTargetOf({ pathname: "/producer/offline", search: "?to=%2Fproducts%3Fq%3Dche" })).toBe("/products?q=che");
    expect(offlineTargetOf({ pathname: "/producer/offline", search: "?to=%2F%2Fevil.example" })).toBe("/producer");
    expect(offlineTargetOf({ pathname: "/producer/offline", search: "" })).toBe("/producer");
  });
});

describe("GET /producer/offline with signal", () => {
  const load = (path: string, cookie?: string) => offlineRoute.loader(args(get(path, cookie)));
  const locationOf = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      if (e instanceof Response) return { status: e.status, location: e.headers.get("Location") };
      throw e;
    }
    return null;
  };

  it("goes on to the page asked for, same site only", async () => {
    const { user } = await createProducer("APPROVED", "HTX Ngoại tuyến");
    const cookie = await cookieFor(user.id);
    expect(await locationOf(() => load("/producer/offline?to=%2Fproducts%3Fq%3Dche", cookie))).toEqual({
      status: 302,
      location: "/products?q=che",
    });
    expect(await locationOf(() => load("/producer/offline?to=%2F%2Fevil.example%2F", cookie))).toEqual({
      status: 302,
      location: "/producer",
    });
    expect(await locationOf(() => load("/producer/offline?to=https%3A%2F%2Fevil.example", cookie))).toEqual({
      status: 302,
      location: "/producer",
    });
    expect(await locationOf(() => load("/producer/offline", cookie))).toEqual({ status: 302, location: "/producer" });
  });

  it("refuses a user who is not a producer, and sends a visitor to log in", async () => {
    const shopper = await createUser(["SHOPPER"]);
    const cookie = await cookieFor(shopper.id);
    expect(await statusOf(() => load("/producer/offline?to=%2Fcart", cookie))).toBe(403);
    const anonymous = await locationOf(() => load("/producer/offline?to=%2Fcart"));
    expect(anonymous?.status).toBe(302);
    expect(anonymous?.location).toMatch(/^\/login/);
  });
});
