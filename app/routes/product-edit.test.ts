// A producer edits a product (price, description, unit), orders and deletes its photos, adds a
// photo while creating it; the upload twin answers JSON for the phone's progress bar. Anyone but
// the owner (another producer, a shopper, an inspector) is refused and changes nothing.
import crypto from "node:crypto";
import { prisma } from "~/db.server";
import { findProductForSale } from "~/domain/catalog/product-for-sale.server";
import { addProductImage } from "~/domain/catalog/product.server";
import {
  args,
  cookieFor,
  createProducer,
  createProductWithBatch,
  createUser,
  get,
  payload,
  pngFile,
  post,
  postMultipart,
  statusOf,
} from "../../test/helpers";
import { bombPng } from "../../test/bad-images";
import * as productPage from "./producer.products.$productId._index";
import * as photoJson from "./producer.products.$productId.photos[.json]";
import * as newProduct from "./producer.products.new";
import * as newProductJson from "./producer.products.new[.json]";
import * as newCertificateJson from "./producer.products.$productId.certificates.new[.json]";

type Reply = { fieldErrors: Record<string, string> };

async function world() {
  const owner = await createProducer("APPROVED", "HTX Chủ");
  const { product } = await createProductWithBatch(owner.producer.id);
  const cookie = await cookieFor(owner.user.id);
  const keys: string[] = [];
  for (let i = 0; i < 3; i++) {
    const key = crypto.randomBytes(16).toString("hex");
    await addProductImage(product.id, { key, width: 10, height: 10 });
    keys.push(key);
  }
  return { owner, product, cookie, keys };
}

const photosOf = (productId: string) => prisma.productImage.findMany({ where: { productId }, orderBy: { position: "asc" } });

describe("product details", () => {
  it("the owner changes price, description and unit; bad input changes nothing", async () => {
    const { product, cookie } = await world();
    const send = (fields: Record<string, string>) =>
      productPage.action(
        args(post(`/producer/products/${product.id}`, { intent: "details", ...fields }, cookie), { productId: product.id }),
      );
    const bad = await send({ priceVnd: "12,5", unit: "tan-bay", description: "x" });
    expect(await statusOf(() => bad)).toBe(400);
    expect(payload<Reply>(bad).fieldErrors).toMatchObject({ priceVnd: "error.notWholeNumber", unit: "error.chooseOne" });
    expect(await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({
      priceVnd: 100000,
      unit: "hop",
      description: "",
    });

    expect(await statusOf(() => send({ priceVnd: "125.000", unit: "kg", description: "Chè vụ xuân, sao tay" }))).toBe(200);
    expect(await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({
      priceVnd: 125000,
      unit: "kg",
      description: "Chè vụ xuân, sao tay",
    });
    // The shop shows the new price.
    expect((await findProductForSale(product.id))?.priceVnd).toBe(125000);
  });

  it("the edit form is filled with what is saved", async () => {
    const { product, cookie } = await world();
    const page = await productPage.loader(args(get(`/producer/products/${product.id}`, cookie), { productId: product.id }));
    expect(page.product).toMatchObject({ priceVnd: 100000, unit: "hop" });
  });
});

describe("photo order and deletion", () => {
  it("moves a photo up and down; the order is kept and the shop shows it in that order", async () => {
    const { product, cookie, keys } = await world();
    const [a, b, c] = (await photosOf(product.id)).map((p) => p.id);
    const move = (imageId: string, direction: string) =>
      productPage.action(
        args(post(`/producer/products/${product.id}`, { intent: "movePhoto", imageId: imageId, direction }, cookie), {
          productId: product.id,
        }),
      );
    expect(await statusOf(() => move(c!, "up"))).toBe(200);
    expect((await photosOf(product.id)).map((p) => p.id)).toEqual([a, c, b]);
    expect(await statusOf(() => move(c!, "up"))).toBe(200);
    expect((await photosOf(product.id)).map((p) => p.id)).toEqual([c, a, b]);
    // Already first: nothing moves, nothing breaks.
    expect(await statusOf(() => move(c!, "up"))).toBe(200);
    expect(await statusOf(() => move(a!, "down"))).toBe(200);
    expect((await photosOf(product.id)).map((p) => p.id)).toEqual([c, b, a]);
    expect((await photosOf(product.id)).map((p) => p.position)).toEqual([0, 1, 2]);
    const shop = await findProductForSale(product.id);
    expect(shop?.images.map((i) => i.storageKey)).toEqual([keys[2], keys[1], keys[0]]);
    expect(await statusOf(() => move(a!, "sideways"))).toBe(400);
  });

  it("deletes a photo with its files; a photo added afterwards goes last", async () => {
    const { product, cookie } = await world();
    const upload = async () =>
      productPage.action(
        args(postMultipart(`/producer/products/${product.id}`, { intent: "photo", photo: await pngFile("moi.png", 300, 200) }, cookie), {
          productId: product.id,
        }),
      );
    expect(await statusOf(upload)).toBe(200);
    const before = await photosOf(product.id);
    const uploaded = before[3]!;
    const variants = await prisma.storedFile.count({ where: { key: { startsWith: uploaded.storageKey } } });
    // Three WebP widths and two AVIF ones, and deleting the photo removes all five.
    expect(variants).toBe(5);
    const del = (imageId: string) =>
      productPage.action(
        args(post(`/producer/products/${product.id}`, { intent: "deletePhoto", imageId }, cookie), { productId: product.id }),
      );
    expect(await statusOf(() => del(uploaded.id))).toBe(302);
    expect(await prisma.storedFile.count({ where: { key: { startsWith: uploaded.storageKey } } })).toBe(0);
    expect(await statusOf(() => del(before[0]!.id))).toBe(302);
    expect(await statusOf(upload)).toBe(200);
    const after = await photosOf(product.id);
    expect(after.map((p) => p.position)).toEqual([0, 1, 2]);
    expect(after.map((p) => p.id).slice(0, 2)).toEqual([before[1]!.id, before[2]!.id]);
  });
});

describe("only the owner edits a product", () => {
  async function attempts(cookie: string, w: Awaited<ReturnType<typeof world>>) {
    const { product } = w;
    const [first] = await photosOf(product.id);
    const at = `/producer/products/${product.id}`;
    const params = { productId: product.id };
    return {
      details: () =>
        productPage.action(args(post(at, { intent: "details", priceVnd: "1", unit: "kg", description: "chiếm" }, cookie), params)),
      move: () => productPage.action(args(post(at, { intent: "movePhoto", imageId: first!.id, direction: "down" }, cookie), params)),
      del: () => productPage.action(args(post(at, { intent: "deletePhoto", imageId: first!.id }, cookie), params)),
      photoJson: async () => photoJson.action(args(postMultipart(`${at}/photos.json`, { photo: await pngFile() }, cookie), params)),
      certificateJson: async () =>
        newCertificateJson.action(args(postMultipart(`${at}/certificates/new.json`, { stars: "3" }, cookie), params)),
    };
  }

  async function expectRefused(cookie: string) {
    const w = await world();
    const before = {
      product: await prisma.product.findUniqueOrThrow({ where: { id: w.product.id } }),
      photos: await photosOf(w.product.id),
    };
    for (const [name, run] of Object.entries(await attempts(cookie, w))) expect([403, 404], name).toContain(await statusOf(run));
    expect(await prisma.product.findUniqueOrThrow({ where: { id: w.product.id } })).toEqual(before.product);
    expect(await photosOf(w.product.id)).toEqual(before.photos);
  }

  it("refuses another producer", async () => {
    const other = await createProducer("APPROVED", "HTX Khác");
    await expectRefused(await cookieFor(other.user.id));
  });

  it("refuses another producer moving or deleting the owner's photo through its own product", async () => {
    const w = await world();
    const other = await createProducer("APPROVED", "HTX Khác");
    const { product: theirs } = await createProductWithBatch(other.producer.id, "LOT-K");
    const cookie = await cookieFor(other.user.id);
    const [first] = await photosOf(w.product.id);
    const tries: Record<string, string>[] = [
      { intent: "movePhoto", imageId: first!.id, direction: "down" },
      { intent: "deletePhoto", imageId: first!.id },
    ];
    for (const fields of tries) {
      expect(
        await statusOf(() => productPage.action(args(post(`/producer/products/${theirs.id}`, fields, cookie), { productId: theirs.id }))),
      ).toBe(404);
    }
    expect((await photosOf(w.product.id)).map((p) => p.id)[0]).toBe(first!.id);
  });

  it("refuses a shopper and an inspector", async () => {
    await expectRefused(await cookieFor((await createUser(["SHOPPER"])).id));
    const inspector = await createUser(["INSPECTOR"]);
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "19" } });
    await expectRefused(await cookieFor(inspector.id));
  });
});

describe("uploads answer JSON to the phone's progress bar", () => {
  it("a photo is added and the answer says so; a bad one is a 400 with the reason", async () => {
    const { product, cookie } = await world();
    const send = (photo: File) =>
      photoJson.action(args(postMultipart(`/producer/products/${product.id}/photos.json`, { photo }, cookie), { productId: product.id }));
    const good = await send(await pngFile("anh.png", 800, 600));
    expect(good.status).toBe(200);
    expect(good.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(await good.json()).toMatchObject({ ok: true, fieldErrors: {} });
    expect(await prisma.productImage.count({ where: { productId: product.id } })).toBe(4);
    const bad = await send(await bombPng());
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, fieldErrors: { photo: "error.imageTooLarge" } });
    expect(await prisma.productImage.count({ where: { productId: product.id } })).toBe(4);
  });

  it("a certificate answers where to go next", async () => {
    const { product, cookie } = await world();
    const fields = {
      stars: "4",
      scoreA: "30",
      scoreB: "20",
      scoreC: "25",
      totalScore: "75",
      level: "PROVINCE",
      authority: "UBND tỉnh",
      decisionNumber: "7/QĐ",
      decisionDate: "2025-01-01",
    };
    const send = (extra: Record<string, string | File>) =>
      newCertificateJson.action(
        args(postMultipart(`/producer/products/${product.id}/certificates/new.json`, { ...fields, ...extra }, cookie), {
          productId: product.id,
        }),
      );
    const missing = await send({ decisionNumber: "" });
    expect(missing.status).toBe(400);
    expect((await missing.json()).fieldErrors.decisionNumber).toBe("error.required");
    const done = await send({ file: await pngFile("giay.png", 600, 800) });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ ok: true, redirectTo: `/producer/products/${product.id}#certificates` });
    expect(await prisma.ocopCertificate.count({ where: { productId: product.id } })).toBe(1);
  });
});

describe("a new product can come with a photo", () => {
  const fields = { name: "Mật ong bạc hà", ocopGroup: "1", unit: "chai", priceVnd: "250000", description: "Mật ong Đồng Văn" };

  it("without JavaScript: the product and its photo are saved together", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Ong");
    const cookie = await cookieFor(user.id);
    const reply = await newProduct.action(
      args(postMultipart("/producer/products/new", { ...fields, photo: await pngFile("ong.png", 640, 480) }, cookie)),
    );
    expect(await statusOf(() => reply)).toBe(302);
    const product = await prisma.product.findFirstOrThrow({ where: { producerId: producer.id }, include: { images: true } });
    expect((reply as Response).headers.get("Location")).toBe(`/producer/products/${product.id}`);
    expect(product.images.map((i) => [i.width, i.height, i.position])).toEqual([[640, 480, 0]]);
  });

  it("a bad photo saves no product, and keeps what was typed", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Ong 2");
    const cookie = await cookieFor(user.id);
    const reply = await newProduct.action(args(postMultipart("/producer/products/new", { ...fields, photo: await bombPng() }, cookie)));
    expect(await statusOf(() => reply)).toBe(400);
    expect(payload<Reply & { values: Record<string, string> }>(reply)).toMatchObject({
      fieldErrors: { photo: "error.imageTooLarge" },
      values: { name: "Mật ong bạc hà" },
    });
    expect(await prisma.product.count({ where: { producerId: producer.id } })).toBe(0);
  });

  it("with JavaScript: the JSON twin answers the new product's page", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Ong 3");
    const cookie = await cookieFor(user.id);
    const reply = await newProductJson.action(
      args(postMultipart("/producer/products/new.json", { ...fields, photo: await pngFile("ong.png", 320, 240) }, cookie)),
    );
    expect(reply.status).toBe(200);
    const product = await prisma.product.findFirstOrThrow({ where: { producerId: producer.id }, include: { images: true } });
    expect(await reply.json()).toMatchObject({ ok: true, redirectTo: `/producer/products/${product.id}` });
    expect(product.images).toHaveLength(1);
    const shopper = await cookieFor((await createUser(["SHOPPER"])).id);
    expect(await statusOf(() => newProductJson.action(args(postMultipart("/producer/products/new.json", fields, shopper))))).toBe(403);
  });
});
