// Role and ownership checks of every producer/admin loader and action, called
// through the real route modules with real session cookies.
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { prisma } from "~/db.server";
import { args, cookieFor, createProducer, createProductWithBatch, createUser, get, post, statusOf } from "../../test/helpers";
import * as producerHome from "./producer._index";
import * as profile from "./producer.profile";
import * as newProduct from "./producer.products.new";
import * as productDetail from "./producer.products.$productId._index";
import * as newBatch from "./producer.products.$productId.batches.new";
import * as batchDetail from "./producer.batches.$batchId._index";
import * as labelPng from "./producer.batches.$batchId.label[.png]";
import * as labelSvg from "./producer.batches.$batchId.label[.svg]";
import * as admin from "./admin._index";

describe("producer B is refused on everything of producer A", () => {
  let a: Awaited<ReturnType<typeof createProducer>>;
  let b: Awaited<ReturnType<typeof createProducer>>;
  let aItems: Awaited<ReturnType<typeof createProductWithBatch>>;
  let cookieA: string;
  let cookieB: string;

  beforeAll(async () => {
    a = await createProducer("APPROVED", "HTX A");
    b = await createProducer("APPROVED", "HTX B");
    aItems = await createProductWithBatch(a.producer.id);
    cookieA = await cookieFor(a.user.id);
    cookieB = await cookieFor(b.user.id);
  });

  it("A itself can read its product, batch and labels (the checks below are not vacuous)", async () => {
    const { product, batch } = aItems;
    expect(
      await statusOf(() => productDetail.loader(args(get(`/producer/products/${product.id}`, cookieA), { productId: product.id }))),
    ).toBe(200);
    expect(await statusOf(() => batchDetail.action(args(post(`/producer/batches/${batch.id}`, {}, cookieA), { batchId: batch.id })))).toBe(
      302,
    );
    expect(
      await statusOf(() => labelPng.loader(args(get(`/producer/batches/${batch.id}/label.png`, cookieA), { batchId: batch.id }))),
    ).toBe(200);
  });

  it("B gets 404 reading A's product, batch and labels", async () => {
    const { product, batch } = aItems;
    await batchDetail.action(args(post(`/producer/batches/${batch.id}`, {}, cookieA), { batchId: batch.id }));
    expect(
      await statusOf(() => productDetail.loader(args(get(`/producer/products/${product.id}`, cookieB), { productId: product.id }))),
    ).toBe(404);
    expect(
      await statusOf(() => newBatch.loader(args(get(`/producer/products/${product.id}/batches/new`, cookieB), { productId: product.id }))),
    ).toBe(404);
    expect(await statusOf(() => batchDetail.loader(args(get(`/producer/batches/${batch.id}`, cookieB), { batchId: batch.id })))).toBe(404);
    expect(
      await statusOf(() => labelPng.loader(args(get(`/producer/batches/${batch.id}/label.png`, cookieB), { batchId: batch.id }))),
    ).toBe(404);
    expect(
      await statusOf(() => labelSvg.loader(args(get(`/producer/batches/${batch.id}/label.svg`, cookieB), { batchId: batch.id }))),
    ).toBe(404);
  });

  it("B gets 404 writing to A's product and batch, and nothing is written", async () => {
    const { product, batch } = aItems;
    const batchesBefore = await prisma.batch.count();
    const codesBefore = await prisma.traceCode.count();
    const fields = { lotCode: "B-LOT", producedAt: "2026-10-01", quantity: "10" };
    expect(
      await statusOf(() =>
        newBatch.action(args(post(`/producer/products/${product.id}/batches/new`, fields, cookieB), { productId: product.id })),
      ),
    ).toBe(404);
    expect(await statusOf(() => batchDetail.action(args(post(`/producer/batches/${batch.id}`, {}, cookieB), { batchId: batch.id })))).toBe(
      404,
    );
    expect(await prisma.batch.count()).toBe(batchesBefore);
    expect(await prisma.traceCode.count()).toBe(codesBefore);
  });

  it("B's dashboard lists only B's products", async () => {
    await createProductWithBatch(b.producer.id, "B-1");
    const data = await producerHome.loader(args(get("/producer", cookieB)));
    const ids = data.products.map((p) => p.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(await prisma.product.count({ where: { id: { in: ids }, producerId: b.producer.id } })).toBe(ids.length);
    expect(ids).not.toContain(aItems.product.id);
  });
});

describe("roles", () => {
  it("a shopper cannot reach /producer or /admin", async () => {
    const shopper = await createUser(["SHOPPER"]);
    const cookie = await cookieFor(shopper.id);
    expect(await statusOf(() => producerHome.loader(args(get("/producer", cookie))))).toBe(403);
    expect(await statusOf(() => profile.loader(args(get("/producer/profile", cookie))))).toBe(403);
    expect(await statusOf(() => newProduct.action(args(post("/producer/products/new", { name: "x" }, cookie))))).toBe(403);
    expect(await statusOf(() => admin.loader(args(get("/admin", cookie))))).toBe(403);
  });

  it("a producer cannot approve producers", async () => {
    const { user, producer } = await createProducer("PENDING", "HTX tự duyệt");
    const cookie = await cookieFor(user.id);
    expect(await statusOf(() => admin.loader(args(get("/admin", cookie))))).toBe(403);
    expect(await statusOf(() => admin.action(args(post("/admin", { producerId: producer.id, decision: "APPROVED" }, cookie))))).toBe(403);
    expect((await prisma.producer.findUniqueOrThrow({ where: { id: producer.id } })).status).toBe("PENDING");
  });

  it("anonymous visitors are sent to log in", async () => {
    expect(await statusOf(() => producerHome.loader(args(get("/producer"))))).toBe(302);
    expect(await statusOf(() => admin.loader(args(get("/admin"))))).toBe(302);
  });

  it("an admin approves and suspends producers", async () => {
    const adminUser = await createUser(["ADMIN"]);
    const cookie = await cookieFor(adminUser.id);
    const { producer } = await createProducer("PENDING", "HTX chờ duyệt");
    expect(await statusOf(() => admin.action(args(post("/admin", { producerId: producer.id, decision: "APPROVED" }, cookie))))).toBe(200);
    expect((await prisma.producer.findUniqueOrThrow({ where: { id: producer.id } })).status).toBe("APPROVED");
    expect(
      await statusOf(() =>
        admin.action(args(post("/admin", { producerId: producer.id, decision: "SUSPENDED", reason: "Hàng giả" }, cookie))),
      ),
    ).toBe(200);
    const after = await prisma.producer.findUniqueOrThrow({ where: { id: producer.id } });
    expect([after.status, after.statusReason]).toEqual(["SUSPENDED", "Hàng giả"]);
  });
});

describe("codes need an approved producer", () => {
  it("a pending producer cannot issue a code", async () => {
    const { user, producer } = await createProducer("PENDING", "HTX mới");
    const { batch } = await createProductWithBatch(producer.id);
    const cookie = await cookieFor(user.id);
    expect(await statusOf(() => batchDetail.action(args(post(`/producer/batches/${batch.id}`, {}, cookie), { batchId: batch.id })))).toBe(
      403,
    );
    expect(await prisma.traceCode.count({ where: { batchId: batch.id } })).toBe(0);
  });

  it("a suspended producer cannot issue a code or add products", async () => {
    const { user, producer } = await createProducer("SUSPENDED", "HTX bị ngừng");
    const { batch } = await createProductWithBatch(producer.id);
    const cookie = await cookieFor(user.id);
    expect(await statusOf(() => batchDetail.action(args(post(`/producer/batches/${batch.id}`, {}, cookie), { batchId: batch.id })))).toBe(
      403,
    );
    expect(await statusOf(() => newProduct.action(args(post("/producer/products/new", { name: "x" }, cookie))))).toBe(403);
  });

  it("issuing twice keeps one code, and its label PNG decodes to the trace URL", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX in tem");
    const { batch } = await createProductWithBatch(producer.id, "TEM-01");
    const cookie = await cookieFor(user.id);
    await batchDetail.action(args(post(`/producer/batches/${batch.id}`, {}, cookie), { batchId: batch.id }));
    await batchDetail.action(args(post(`/producer/batches/${batch.id}`, {}, cookie), { batchId: batch.id }));
    const codes = await prisma.traceCode.findMany({ where: { batchId: batch.id } });
    expect(codes).toHaveLength(1);
    const res = await labelPng.loader(args(get(`/producer/batches/${batch.id}/label.png`, cookie), { batchId: batch.id }));
    expect(res.headers.get("Content-Type")).toBe("image/png");
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(`${process.env.APP_URL}/t/${codes[0]!.code}`);
    const svg = await (await labelSvg.loader(args(get(`/producer/batches/${batch.id}/label.svg`, cookie), { batchId: batch.id }))).text();
    expect(svg).toContain("Quét để truy xuất nguồn gốc");
    expect(svg).toContain("TEM-01");
    expect(svg).toContain("Chè búp");
  });
});
