// Every upload path refuses a decompression bomb or an image that does not decode with a 400,
// before any record (or file) is written; a malformed multipart body is a 400, never a 500.
import { prisma } from "~/db.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import {
  args,
  cookieFor,
  createProducer,
  createProductWithBatch,
  createUser,
  payload,
  pngFile,
  postMultipart,
  statusOf,
} from "../../test/helpers";
import { bombPng, truncatedPng } from "../../test/bad-images";
import * as newEvent from "./producer.batches.$batchId.events.new";
import * as report from "./t.$code.report";
import * as inspectorBatch from "./inspector.batches.$batchId";
import * as productPage from "./producer.products.$productId._index";
import * as newCertificate from "./producer.products.$productId.certificates.new";

const CERTIFICATE = {
  stars: "4",
  scoreA: "30",
  scoreB: "20",
  scoreC: "25",
  totalScore: "75",
  level: "PROVINCE",
  authority: "UBND tỉnh",
  decisionNumber: "5/QĐ",
  decisionDate: "2025-01-01",
};

async function world() {
  const { user, producer } = await createProducer();
  const { product, batch } = await createProductWithBatch(producer.id);
  const code = await issueBatchCode(batch.id, user.id);
  const inspector = await createUser(["INSPECTOR"], "Thanh tra");
  await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "19" } });
  return { product, batch, code: code.code, producerCookie: await cookieFor(user.id), inspectorCookie: await cookieFor(inspector.id) };
}

type World = Awaited<ReturnType<typeof world>>;

/** Each upload form, posted with the given file, and how to count what it writes. */
const forms = {
  event: {
    send: (w: World, file: File) =>
      newEvent.action(
        args(
          postMultipart(
            `/producer/batches/${w.batch.id}/events/new?kind=PLANTING`,
            { occurredAt: "2026-03-01T07:00", variety: "X", area: "1 ha", evidence: file },
            w.producerCookie,
          ),
          { batchId: w.batch.id },
        ),
      ),
    written: (w: World) => prisma.traceEvent.count({ where: { batchId: w.batch.id } }),
  },
  report: {
    send: (w: World, file: File) =>
      report.action(
        args(withIp(postMultipart(`/t/${w.code}/report`, { kind: "QUALITY", message: "Bao bì rách", photo: file })), { code: w.code }),
      ),
    written: () => prisma.consumerReport.count(),
  },
  inspection: {
    send: (w: World, file: File) =>
      inspectorBatch.action(
        args(
          postMultipart(
            `/inspector/batches/${w.batch.id}`,
            { intent: "inspect", result: "FAIL", notes: "Kho ẩm", photos: file },
            w.inspectorCookie,
          ),
          { batchId: w.batch.id },
        ),
      ),
    written: (w: World) => prisma.inspection.count({ where: { batchId: w.batch.id } }),
  },
  productPhoto: {
    send: (w: World, file: File) =>
      productPage.action(
        args(postMultipart(`/producer/products/${w.product.id}`, { intent: "photo", photo: file }, w.producerCookie), {
          productId: w.product.id,
        }),
      ),
    written: (w: World) => prisma.productImage.count({ where: { productId: w.product.id } }),
  },
  certificate: {
    send: (w: World, file: File) =>
      newCertificate.action(
        args(postMultipart(`/producer/products/${w.product.id}/certificates/new`, { ...CERTIFICATE, file }, w.producerCookie), {
          productId: w.product.id,
        }),
      ),
    written: (w: World) => prisma.ocopCertificate.count({ where: { productId: w.product.id } }),
  },
};

let ipCounter = 0;
/** Reports are rate limited per client: each one here comes from its own address. */
function withIp(request: Request, ip = `203.0.113.${++ipCounter}`) {
  request.headers.set("x-ocop-client-ip", ip);
  return request;
}

describe("bad images are refused before anything is written", () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });

  for (const [name, form] of Object.entries(forms)) {
    it(`${name}: a bomb PNG and a PNG that does not decode answer 400 and write no record and no file; a good photo is taken`, async () => {
      const files = await prisma.storedFile.count();
      for (const [bad, expected] of [
        [await bombPng(), "error.imageTooLarge"],
        [await truncatedPng(), "error.imageUnreadable"],
      ] as const) {
        const reply = await form.send(w, bad);
        expect(await statusOf(() => reply), `${name} ${bad.name}`).toBe(400);
        expect(JSON.stringify(payload(reply))).toContain(expected);
        expect(await form.written(w)).toBe(0);
        expect(await prisma.storedFile.count()).toBe(files);
      }
      // The same form with a good photo is written (so the zero above is not vacuous).
      expect(await statusOf(async () => form.send(w, await pngFile())), name).toBeLessThan(400);
      expect(await form.written(w)).toBe(1);
    });
  }
});

describe("malformed multipart bodies are a 400", () => {
  it("on every upload form: a body cut short, and a boundary that is not the declared one", async () => {
    const w = await world();
    const good = await postMultipart("/x", { kind: "QUALITY", message: "Bao bì rách", photo: await pngFile() }).arrayBuffer();
    const cut = (request: Request) =>
      new Request(request.url, { method: "POST", headers: request.headers, body: good.slice(0, good.byteLength - 200) });
    const wrongBoundary = (request: Request) =>
      new Request(request.url, {
        method: "POST",
        headers: { ...Object.fromEntries(request.headers), "content-type": "multipart/form-data; boundary=nothere" },
        body: good,
      });
    const posts = {
      event: (mangle: (r: Request) => Request) =>
        newEvent.action(
          args(mangle(postMultipart(`/producer/batches/${w.batch.id}/events/new?kind=PLANTING`, {}, w.producerCookie)), {
            batchId: w.batch.id,
          }),
        ),
      report: (mangle: (r: Request) => Request) =>
        report.action(args(mangle(withIp(postMultipart(`/t/${w.code}/report`, {}))), { code: w.code })),
      inspection: (mangle: (r: Request) => Request) =>
        inspectorBatch.action(
          args(mangle(postMultipart(`/inspector/batches/${w.batch.id}`, {}, w.inspectorCookie)), { batchId: w.batch.id }),
        ),
      productPhoto: (mangle: (r: Request) => Request) =>
        productPage.action(
          args(mangle(postMultipart(`/producer/products/${w.product.id}`, {}, w.producerCookie)), { productId: w.product.id }),
        ),
      certificate: (mangle: (r: Request) => Request) =>
        newCertificate.action(
          args(mangle(postMultipart(`/producer/products/${w.product.id}/certificates/new`, {}, w.producerCookie)), {
            productId: w.product.id,
          }),
        ),
    };
    for (const [name, send] of Object.entries(posts)) {
      for (const mangle of [cut, wrongBoundary]) expect(await statusOf(() => send(mangle)), `${name} ${mangle.name}`).toBe(400);
    }
  });
});

describe("reports are rate limited per client", () => {
  it("answers 429 with a plain message once a client has sent its allowance; another client can still report", async () => {
    const w = await world();
    const send = (ip: string) =>
      report.action(args(withIp(postMultipart(`/t/${w.code}/report`, { kind: "QUALITY", message: "Bao bì rách" }), ip), { code: w.code }));
    for (let i = 0; i < 5; i++) expect(await statusOf(() => send("198.51.100.20"))).toBe(200);
    const refused = await send("198.51.100.20");
    expect(await statusOf(() => refused)).toBe(429);
    expect(payload<{ fieldErrors: Record<string, string> }>(refused).fieldErrors._form).toMatch(/^report\.tooMany\|\d+$/);
    expect(await prisma.consumerReport.count({ where: { batchId: w.batch.id } })).toBe(5);
    expect(await statusOf(() => send("198.51.100.21"))).toBe(200);
  });
});
