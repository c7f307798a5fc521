// The public producer page (/producers/{id}) and what its owner sets for it (contact phone,
// photos). Only approved producers have a page; only verified certificates show a star; members'
// own phones never show; only the owner changes the phone or the photos.
import sharp from "sharp";
import { prisma } from "~/db.server";
import { validUntil } from "~/domain/catalog/certificate";
import { forgetStorefrontCaches } from "~/domain/catalog/storefront-cache.server";
import {
  args,
  cookieFor,
  createProducer,
  createProductWithBatch,
  get,
  helperActingFor,
  payload,
  post,
  postMultipart,
  statusOf,
} from "../../test/helpers";
import * as producerPage from "./producers.$producerId";
import * as profile from "./producer.profile";
import * as photos from "./producer.photos";
import * as media from "./media.$key";

const open = (id: string) => producerPage.loader(args(get(`/producers/${encodeURIComponent(id)}`), { producerId: id }));
type Page = Awaited<ReturnType<typeof producerPage.loader>>;

async function certificate(productId: string, stars: number, verification: "VERIFIED" | "PENDING" | "REJECTED", decisionNumber: string) {
  const decided = new Date("2025-06-01");
  await prisma.ocopCertificate.create({
    data: {
      productId,
      stars,
      scoreA: 30,
      scoreB: 20,
      scoreC: 25,
      totalScore: 75,
      level: stars === 5 ? "CENTRAL" : "PROVINCE",
      authority: "UBND",
      decisionNumber,
      decisionDate: decided,
      validUntil: validUntil(decided),
      verification,
      verifierOffice: verification === "VERIFIED" ? "Văn phòng OCOP tỉnh" : null,
      verifiedAt: verification === "VERIFIED" ? new Date("2025-07-01") : null,
    },
  });
}

/** A JPEG as a phone takes it: with EXIF, including a GPS position. */
async function phoneJpeg(): Promise<File> {
  const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .withExif({ IFD0: { Make: "PhoneCo", Model: "Secret-Model-X" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "21/1 0/1 0/1" } })
    .jpeg()
    .toBuffer();
  return new File([new Uint8Array(bytes)], "xuong.jpg", { type: "image/jpeg" });
}

describe("the producer page", () => {
  it("is a 404 for a pending or suspended producer, an unknown id and garbage, never a 500", async () => {
    const pending = await createProducer("PENDING", "HTX Chờ duyệt");
    const suspended = await createProducer("SUSPENDED", "HTX Bị khóa");
    for (const id of [
      pending.producer.id,
      suspended.producer.id,
      "ckunknown000000000000000",
      "%00",
      "\u0000",
      "../../etc/passwd",
      "x".repeat(500),
      "",
    ]) {
      expect([id.slice(0, 20), await statusOf(() => open(id))]).toEqual([id.slice(0, 20), 404]);
    }
  });

  it("shows the story, place, map links, contact and listed products, with stars from verified certificates only", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Chè Tân Cương");
    await prisma.producer.update({
      where: { id: producer.id },
      data: { story: "Ba thế hệ làm chè.", latitude: 21.5942, longitude: 105.8482, contactPhone: "0912345678" },
    });
    const verified = await createProductWithBatch(producer.id, "LOT-A");
    await prisma.product.update({ where: { id: verified.product.id }, data: { name: "Chè búp đã xác minh" } });
    await certificate(verified.product.id, 4, "VERIFIED", "11/QĐ-UBND");
    const claimed = await prisma.product.create({
      data: { producerId: producer.id, name: "Chè xanh chỉ khai", ocopGroup: 2, unit: "hop", priceVnd: 90_000, description: "" },
    });
    await certificate(claimed.id, 5, "PENDING", "99/QĐ-GIA");
    await prisma.product.create({
      data: {
        producerId: producer.id,
        name: "Chè ngừng bán",
        ocopGroup: 2,
        unit: "hop",
        priceVnd: 1,
        description: "",
        listingStatus: "UNLISTED",
      },
    });
    forgetStorefrontCaches();

    const page = payload<Page>(await open(producer.id)).producer;
    expect(page).toMatchObject({ name: "HTX Chè Tân Cương", story: "Ba thế hệ làm chè.", latitude: 21.5942, contactPhone: "0912345678" });
    expect(page.location.province).toBeTruthy();
    expect(page.certificates).toEqual([
      expect.objectContaining({ productName: "Chè búp đã xác minh", stars: 4, decisionNumber: "11/QĐ-UBND" }),
    ]);
    expect(page.products.map((p) => p.name).sort()).toEqual(["Chè búp đã xác minh", "Chè xanh chỉ khai"]);
    expect(page.products.find((p) => p.name === "Chè xanh chỉ khai")!.stars).toBeNull();
    // Nothing private: not the owner's own phone, nor the street, nor the claimed certificate's decision.
    const text = JSON.stringify(page);
    expect(text).not.toContain(user.phone!);
    expect(text).not.toContain("Xóm 1");
    expect(text).not.toContain("99/QĐ-GIA");
  });
});

describe("the contact phone and photos of the producer page", () => {
  it("the owner sets the contact phone (a Vietnamese mobile, or none); bad input is a 400", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Liên hệ");
    const cookie = await cookieFor(user.id);
    const save = (contactPhone: string) => profile.action(args(post("/producer/profile", { intent: "contact", contactPhone }, cookie)));
    expect(await statusOf(() => save("+84 912 345 678"))).toBe(200);
    expect((await prisma.producer.findUniqueOrThrow({ where: { id: producer.id } })).contactPhone).toBe("0912345678");
    expect(await statusOf(() => save("12345"))).toBe(400);
    expect(await statusOf(() => save("<script>"))).toBe(400);
    expect((await prisma.producer.findUniqueOrThrow({ where: { id: producer.id } })).contactPhone).toBe("0912345678");
    expect(await statusOf(() => save(""))).toBe(200);
    expect((await prisma.producer.findUniqueOrThrow({ where: { id: producer.id } })).contactPhone).toBeNull();
  });

  it("a helper of the household (not its owner) cannot change the contact phone or the photos: 403, nothing changed", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Chủ nhà");
    await prisma.producer.update({ where: { id: producer.id }, data: { contactPhone: "0912345678" } });
    const ownerCookie = await cookieFor(user.id);
    expect(
      await statusOf(() =>
        photos.action(args(postMultipart("/producer/photos", { intent: "photo", photo: new File([], "x") }, ownerCookie))),
      ),
    ).toBe(400);
    const { cookie } = await helperActingFor(producer.id);
    expect(
      await statusOf(() => profile.action(args(post("/producer/profile", { intent: "contact", contactPhone: "0987654321" }, cookie)))),
    ).toBe(403);
    expect((await prisma.producer.findUniqueOrThrow({ where: { id: producer.id } })).contactPhone).toBe("0912345678");
    expect(
      await statusOf(async () =>
        photos.action(args(postMultipart("/producer/photos", { intent: "photo", photo: await phoneJpeg() }, cookie))),
      ),
    ).toBe(403);
    expect(await prisma.producerImage.count({ where: { producerId: producer.id } })).toBe(0);
  });

  it("the owner adds a photo (EXIF and GPS gone, served publicly) and deletes it; another producer cannot delete it", async () => {
    const owner = await createProducer("APPROVED", "HTX Có ảnh");
    const other = await createProducer("APPROVED", "HTX Người khác");
    const cookie = await cookieFor(owner.user.id);
    const added = await photos.action(args(postMultipart("/producer/photos", { intent: "photo", photo: await phoneJpeg() }, cookie)));
    expect(added).toBeInstanceOf(Response);
    expect((added as Response).status).toBe(302);
    const [image] = await prisma.producerImage.findMany({ where: { producerId: owner.producer.id } });
    expect(image).toBeDefined();
    const served = await media.loader(args(get(`/media/${image!.storageKey}-320.webp`), { key: `${image!.storageKey}-320.webp` }));
    expect(served.status).toBe(200);
    const bytes = Buffer.from(await served.arrayBuffer());
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    expect(bytes.includes(Buffer.from("Secret-Model-X"))).toBe(false);
    // On the public page.
    expect(payload<Page>(await open(owner.producer.id)).producer.images.map((i) => i.storageKey)).toEqual([image!.storageKey]);

    // Another producer's owner posts the photo's id: not theirs, not found, still there.
    const otherCookie = await cookieFor(other.user.id);
    const steal = () => photos.action(args(postMultipart("/producer/photos", { intent: "deletePhoto", imageId: image!.id }, otherCookie)));
    expect(await statusOf(steal)).toBe(404);
    expect(await prisma.producerImage.count({ where: { id: image!.id } })).toBe(1);

    const remove = () => photos.action(args(postMultipart("/producer/photos", { intent: "deletePhoto", imageId: image!.id }, cookie)));
    expect(await statusOf(remove)).toBe(302);
    expect(await prisma.producerImage.count({ where: { producerId: owner.producer.id } })).toBe(0);
    expect(await prisma.storedFile.count({ where: { key: { startsWith: image!.storageKey } } })).toBe(0);
  });
});
