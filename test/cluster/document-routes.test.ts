import type { ChildProcess } from "node:child_process";
import { issueBatchCode } from "~/domain/trace/code.server";
import { startServer } from "./server-process";
import { cookieFor, createProducer, createProductWithBatch, createUser, PHONE_UA } from "../helpers";

// A route with no React component (the scan page, which answers a whole document itself, and
// every file: labels, CSV, PDF) cannot be shown by Remix's in-app navigation. When a link in the
// app reaches one, Remix asks for its data (single fetch: `/t/{code}.data`); the answer must be
// "load this as a document" (Remix's redirectDocument), never the page or the file, which the
// client shows as the error page (ADR 020). A real server process: the scan page's fast path included.

let proc: ChildProcess;
let base: string;

beforeAll(async () => {
  ({ base, proc } = await startServer({ LIST_CACHE_MS: "60000" }));
}, 30_000);

afterAll(() => {
  proc?.kill();
});

const get = (p: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${p}`, { redirect: "manual", headers: { "User-Agent": PHONE_UA, ...headers } });

/** What Remix's client reads from a single-fetch answer: a redirect to `target` that reloads the document. */
async function expectDocumentReload(res: Response, target: string) {
  const body = await res.text();
  expect(res.status, body.slice(0, 300)).toBe(202);
  expect(res.headers.get("Content-Type")).toMatch(/text\/x-script/);
  expect(body).toContain("SingleFetchRedirect");
  expect(body).toContain(JSON.stringify(target));
  expect(body).toMatch(/"reload",true/);
}

describe("a Remix data request to a route that answers a document or a file", () => {
  it("is told to load the scan page as a document, through the fast path's address and through Remix", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "DOC-1");
    const { code } = await issueBatchCode(batch.id, user.id);

    await expectDocumentReload(await get(`/t/${code}.data`), `/t/${code}`);
    await expectDocumentReload(await get(`/t/${code}.data?ref=shop&_routes=routes%2Ft.%24code._index`), `/t/${code}?ref=shop`);
    // The GS1 Digital Link address of the same lot answers its document the same way.
    await expectDocumentReload(await get(`/01/08930000000000/10/DOC-1.data`), `/01/08930000000000/10/DOC-1`);
    // A client cannot make a plain page load into a redirect by sending the server's own mark.
    const page = await get(`/t/${code}`, { "x-ocop-data-request": "1" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<!DOCTYPE html>");
  }, 30_000);

  it("is told to load a file route (a label PNG) as a document, and a page route still answers its data", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "DOC-2");
    await issueBatchCode(batch.id, user.id);
    const cookie = await cookieFor(user.id);
    await expectDocumentReload(
      await get(`/producer/batches/${batch.id}/label.png.data`, { Cookie: cookie }),
      `/producer/batches/${batch.id}/label.png`,
    );

    const page = await get(`/producer/batches/${batch.id}.data`, { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("DOC-2");
    // The lists the list cache keeps answer their data requests as Remix does (not the kept HTML page).
    for (const p of ["/_root.data", "/products.data", "/products.data?q=ch%C3%A8"]) {
      const data = await get(p);
      expect(data.status, p).toBe(200);
      expect(data.headers.get("Content-Type"), p).toMatch(/text\/x-script/);
      expect(data.headers.get("X-List-Cache"), p).toBeNull();
    }
    // Who may see what is unchanged: a stranger's data request for the owner's batch shows nothing of it.
    const stranger = await cookieFor((await createUser(["SHOPPER"])).id);
    const refused = await get(`/producer/batches/${batch.id}.data`, { Cookie: stranger });
    expect(await refused.text()).not.toContain("DOC-2");
  }, 30_000);
});
