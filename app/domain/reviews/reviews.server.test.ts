import crypto from "node:crypto";
import { prisma } from "~/db.server";
import { moveOrder } from "~/domain/orders/order-moves.server";
import { readPublicImage, renderImage } from "~/domain/files/uploads.server";
import { parseSubmission } from "~/lib/submission";
import { createProducer, createUser, deliverOrder, liftUnpaidLimit, placeCodOrder, pngFile } from "../../../test/helpers";
import { reviewSchema } from "./review-input";
import { answerReview, hideReview, lotReviews, postReview, productReviews, reviewsOfOrder, shortAuthorName } from "./reviews.server";

liftUnpaidLimit();

/** A product sold from two lots of 2 units each: an order of 3 takes units from both. */
async function shopWithTwoLots() {
  const seller = await createProducer("APPROVED", `HTX ${crypto.randomUUID().slice(0, 6)}`);
  const product = await prisma.product.create({
    data: { producerId: seller.producer.id, name: "Mật ong bạc hà", ocopGroup: 1, unit: "chai", priceVnd: 200000, description: "" },
  });
  const lots = [];
  for (const [lotCode, expires] of [
    ["MO-A", "2027-01-01"],
    ["MO-B", "2027-06-01"],
  ] as const)
    lots.push(
      await prisma.batch.create({
        data: { productId: product.id, lotCode, producedAt: new Date("2026-10-01"), expiresAt: new Date(expires), quantity: 2, stock: 2 },
      }),
    );
  return { seller, product, lots };
}

const orderOf = (productId: string, quantity: number, buyerId: string | null = null) =>
  placeCodOrder(productId, { quantity, buyerId, buyerName: "Nguyễn Thị Lan" });

const input = (lineId: string, rating = 5, body = "Mật ong thơm, đóng chai cẩn thận.") => ({ lineId, rating, body });

describe("who may review", () => {
  it("shortens the buyer's name: given name and family initial, never the whole name", () => {
    expect(shortAuthorName("Nguyễn Thị Lan")).toBe("Lan N.");
    expect(shortAuthorName("  Hoa ")).toBe("Hoa");
    expect(shortAuthorName("Đặng Văn Ánh")).toBe("Ánh Đ.");
  });

  it("the buyer of a delivered order reviews a line once; the review names every lot the line came from", async () => {
    const { seller, product, lots } = await shopWithTwoLots();
    const order = await deliverOrder((await orderOf(product.id, 3)).id, seller.user.id);
    const versions = await prisma.batch.findMany({ where: { productId: product.id }, select: { id: true, viewVersion: true } });
    const posted = await postReview(order, null, input(order.lines[0]!.id, 4));
    expect(posted.ok).toBe(true);
    const review = await prisma.review.findFirstOrThrow({ where: { orderLineId: order.lines[0]!.id }, include: { lots: true } });
    expect(review.lots.map((l) => l.batchId).sort()).toEqual(lots.map((l) => l.id).sort());
    expect(review.authorName).toBe("Lan N.");
    expect(review.authorId).toBeNull();
    // Each lot's trace page must show it: their views moved.
    const after = await prisma.batch.findMany({ where: { productId: product.id }, select: { id: true, viewVersion: true } });
    for (const v of versions) expect(after.find((a) => a.id === v.id)!.viewVersion).toBeGreaterThan(v.viewVersion);
    // A second post, and two at once, are refused by the one review per line.
    expect(await postReview(order, null, input(order.lines[0]!.id, 1))).toMatchObject({ ok: false, error: "review.already", status: 409 });
    expect(await prisma.review.count({ where: { orderLineId: order.lines[0]!.id } })).toBe(1);
  });

  it("two posts of the same line at once make one review", async () => {
    const { seller, product } = await shopWithTwoLots();
    const order = await deliverOrder((await orderOf(product.id, 1)).id, seller.user.id);
    const results = await Promise.all([
      postReview(order, null, input(order.lines[0]!.id)),
      postReview(order, null, input(order.lines[0]!.id)),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: "review.already" });
  });

  it("refuses an order not delivered (placed, shipped) and a line of another order", async () => {
    const { seller, product } = await shopWithTwoLots();
    const placed = await orderOf(product.id, 1);
    expect(await postReview(placed, null, input(placed.lines[0]!.id))).toMatchObject({ ok: false, error: "review.notDelivered" });
    for (const to of ["CONFIRMED", "PACKED", "SHIPPED"] as const) await moveOrder(placed.id, to, seller.user.id);
    const shipped = await prisma.order.findUniqueOrThrow({ where: { id: placed.id } });
    expect(await postReview(shipped, null, input(placed.lines[0]!.id))).toMatchObject({ ok: false, error: "review.notDelivered" });
    const other = await deliverOrder((await orderOf(product.id, 1)).id, seller.user.id);
    // A delivered order of one's own does not open someone else's line.
    expect(await postReview(other, null, input(placed.lines[0]!.id))).toMatchObject({
      ok: false,
      error: "review.notYourLine",
      status: 404,
    });
    expect(await prisma.review.count({ where: { productId: product.id } })).toBe(0);
  });
});

describe("review text", () => {
  const parse = (body: string, rating = "5") => {
    const form = new FormData();
    form.set("lineId", "l1");
    form.set("rating", rating);
    form.set("body", body);
    return parseSubmission(reviewSchema, form);
  };

  it("is stored composed (NFC), at most 500 characters, without control or bidi characters, rated 1 to 5", () => {
    const decomposed = "Ngon".concat(" mật ong".normalize("NFD"));
    const ok = parse(decomposed);
    expect(ok.ok && ok.data.body).toBe("Ngon mật ong");
    expect(parse("a".repeat(500)).ok).toBe(true);
    expect(parse("a".repeat(501))).toMatchObject({ ok: false, fieldErrors: { body: expect.stringContaining("error.tooLong") } });
    expect(parse("Tốt\u0007")).toMatchObject({ ok: false, fieldErrors: { body: "error.hiddenCharacters" } });
    expect(parse("Tốt\u202Egnp.exe")).toMatchObject({ ok: false, fieldErrors: { body: "error.hiddenCharacters" } });
    expect(parse("Dòng một\r\nDòng hai").ok).toBe(true);
    expect(parse("   ")).toMatchObject({ ok: false, fieldErrors: { body: "error.required" } });
    for (const bad of ["0", "6", "4.5", ""])
      expect(parse("Tốt", bad)).toMatchObject({ ok: false, fieldErrors: { rating: "review.ratingRequired" } });
  });
});

describe("answers, hiding, and where reviews show", () => {
  it("the producer answers once; another producer cannot answer", async () => {
    const { seller, product } = await shopWithTwoLots();
    const order = await deliverOrder((await orderOf(product.id, 1)).id, seller.user.id);
    const posted = await postReview(order, null, input(order.lines[0]!.id));
    if (!posted.ok) throw new Error(posted.error);
    const stranger = await createProducer("APPROVED", "HTX Khác");
    expect(await answerReview(posted.reviewId, stranger.user.id, "Cảm ơn")).toMatchObject({ ok: false, status: 403 });
    const shopper = await createUser(["SHOPPER"]);
    expect(await answerReview(posted.reviewId, shopper.id, "Cảm ơn")).toMatchObject({ ok: false, status: 403 });
    expect(await answerReview(posted.reviewId, seller.user.id, "Cảm ơn chị đã tin dùng.")).toEqual({ ok: true });
    expect(await answerReview(posted.reviewId, seller.user.id, "Lần hai")).toMatchObject({ ok: false, error: "review.alreadyAnswered" });
    expect((await productReviews(product.id)).newest[0]!.reply).toBe("Cảm ơn chị đã tin dùng.");
  });

  it("an inspector of the lot's province hides a review with a reason: kept, audited, gone from public pages, shown to its author", async () => {
    const { seller, product, lots } = await shopWithTwoLots();
    const order = await deliverOrder((await orderOf(product.id, 3)).id, seller.user.id);
    const photo = await renderImage(Buffer.from(await (await pngFile()).arrayBuffer()));
    const posted = await postReview(order, null, input(order.lines[0]!.id, 1, "Hàng giả, số điện thoại 0912..."), photo);
    if (!posted.ok) throw new Error(posted.error);
    expect(await productReviews(product.id)).toMatchObject({ count: 1, average: 1 });
    expect((await lotReviews(lots[1]!.id)).count).toBe(1);
    expect(await readPublicImage(`${photo.key}-320.webp`)).not.toBeNull();

    const elsewhere = await createUser(["INSPECTOR"]);
    await prisma.inspectorRegion.create({ data: { userId: elsewhere.id, provinceCode: "01" } });
    expect(
      await hideReview(posted.reviewId, { userId: elsewhere.id, isAdmin: false, provinces: ["01"] }, "Lộ số điện thoại"),
    ).toMatchObject({
      ok: false,
      status: 403,
    });
    const inspector = await createUser(["INSPECTOR"]);
    expect(await hideReview(posted.reviewId, { userId: inspector.id, isAdmin: false, provinces: ["19"] }, "Lộ số điện thoại")).toEqual({
      ok: true,
    });

    const kept = await prisma.review.findUniqueOrThrow({ where: { id: posted.reviewId } });
    expect(kept).toMatchObject({ hiddenReason: "Lộ số điện thoại", hiddenById: inspector.id, body: "Hàng giả, số điện thoại 0912..." });
    expect(await prisma.auditEntry.findMany({ where: { subjectId: posted.reviewId } })).toEqual([
      expect.objectContaining({ actorId: inspector.id, action: "review.hide", subjectType: "Review", reason: "Lộ số điện thoại" }),
    ]);
    expect(await productReviews(product.id)).toMatchObject({ count: 0, average: null, newest: [] });
    expect((await lotReviews(lots[0]!.id)).count).toBe(0);
    expect(await readPublicImage(`${photo.key}-320.webp`)).toBeNull();
    expect(await reviewsOfOrder(order.id)).toEqual([
      expect.objectContaining({ hiddenReason: "Lộ số điện thoại", hiddenAt: expect.any(Date) }),
    ]);
    // Once hidden, hidden: a second decision is refused (and not audited twice).
    const admin = await createUser(["ADMIN"]);
    expect(await hideReview(posted.reviewId, { userId: admin.id, isAdmin: true, provinces: [] }, "Lại")).toMatchObject({
      error: "review.alreadyHidden",
    });
    expect(await prisma.auditEntry.count({ where: { subjectId: posted.reviewId } })).toBe(1);
  });

  it("an admin may hide a review of any province", async () => {
    const { seller, product } = await shopWithTwoLots();
    const order = await deliverOrder((await orderOf(product.id, 1)).id, seller.user.id);
    const posted = await postReview(order, null, input(order.lines[0]!.id));
    if (!posted.ok) throw new Error(posted.error);
    const admin = await createUser(["ADMIN"]);
    expect(await hideReview(posted.reviewId, { userId: admin.id, isAdmin: true, provinces: [] }, "Quảng cáo")).toEqual({ ok: true });
  });

  it("the product page's average and count are of the shown reviews, newest first", async () => {
    const { seller, product } = await shopWithTwoLots();
    for (const rating of [5, 2]) {
      const order = await deliverOrder((await orderOf(product.id, 1)).id, seller.user.id);
      await postReview(order, null, input(order.lines[0]!.id, rating, `Đánh giá ${rating} sao`));
    }
    const shown = await productReviews(product.id);
    expect(shown).toMatchObject({ count: 2, average: 3.5 });
    expect(shown.newest.map((r) => r.body)).toEqual(["Đánh giá 2 sao", "Đánh giá 5 sao"]);
    expect(shown.newest[0]!.lots).toEqual([{ lotCode: "MO-A", traceCode: null }]);
  });
});

describe('"Đã bán N"', () => {
  it("counts the units of delivered orders only, in the delivering move", async () => {
    const { seller, product } = await shopWithTwoLots();
    const delivered = await orderOf(product.id, 3);
    const cancelled = await orderOf(product.id, 1);
    await moveOrder(cancelled.id, "CANCELLED", seller.user.id);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).soldUnits).toBe(0);
    for (const to of ["CONFIRMED", "PACKED", "SHIPPED"] as const) await moveOrder(delivered.id, to, seller.user.id);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).soldUnits).toBe(0);
    await moveOrder(delivered.id, "DELIVERED", seller.user.id);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).soldUnits).toBe(3);
    // A repeated click finds the order already delivered: counted once.
    expect((await moveOrder(delivered.id, "DELIVERED", seller.user.id)).ok).toBe(false);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).soldUnits).toBe(3);
  });
});
