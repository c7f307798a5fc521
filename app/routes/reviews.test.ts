import crypto from "node:crypto";
import { prisma } from "~/db.server";
import { moveOrder } from "~/domain/orders/order-moves.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { allowance } from "~/domain/security/rate-limits.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import { scanPage } from "~/web/scan-page.server";
import {
  args,
  cookieFor,
  createProducer,
  createUser,
  deliverOrder,
  get,
  liftUnpaidLimit,
  payload,
  placeCodOrder,
  pngFile,
  post,
  postFrom,
  postMultipart,
  statusOf,
} from "../../test/helpers";
import { readPublicImage } from "~/domain/files/uploads.server";
import * as orderPage from "./orders.$code";
import * as reviewPage from "./orders.$code_.review.$lineId";
import * as productPage from "./products.$productId";
import * as producerReviews from "./producer.reviews";
import * as moderation from "./inspector.reviews";

liftUnpaidLimit();

async function shop() {
  const seller = await createProducer("APPROVED", `HTX ${crypto.randomUUID().slice(0, 6)}`);
  const product = await prisma.product.create({
    data: { producerId: seller.producer.id, name: "Gạo ST25", ocopGroup: 1, unit: "kg", priceVnd: 40000, description: "" },
  });
  const batch = await prisma.batch.create({
    data: { productId: product.id, lotCode: "ST-1", producedAt: new Date("2026-10-01"), quantity: 50, stock: 50 },
  });
  const code = await issueBatchCode(batch.id, seller.user.id);
  return { seller, product, batch, code: code.code };
}

const orderOf = (productId: string, buyerId: string | null = null) =>
  placeCodOrder(productId, { quantity: 2, buyerId, buyerName: "Trần Minh Hoa" });

const reviewPath = (order: { code: string; checkoutId: string; buyerId: string | null }, lineId: string, checkout = order.checkoutId) =>
  `/orders/${order.code}/review/${lineId}${order.buyerId ? "" : `?checkout=${checkout}`}`;

const fields = { rating: "5", body: "Gạo dẻo, thơm, giao nhanh." };

function ip() {
  return `10.${crypto.randomInt(0, 255)}.${crypto.randomInt(0, 255)}.${crypto.randomInt(1, 254)}`;
}

describe("reviewing a line of one's order", () => {
  it("a guest with the order link reviews a delivered line; it shows on the order, product and trace pages", async () => {
    const { seller, product, code } = await shop();
    const order = await orderOf(product.id);
    await deliverOrder(order.id, seller.user.id);
    const lineId = order.lines[0]!.id;
    const path = reviewPath(order, lineId);

    const form = payload<{ delivered: boolean; reviewed: boolean; lots: string[] }>(
      await reviewPage.loader(args(get(path), { code: order.code, lineId })),
    );
    expect(form).toMatchObject({ delivered: true, reviewed: false, lots: ["ST-1"] });

    const done = await reviewPage.action(args(postFrom(ip(), path, fields), { code: order.code, lineId }));
    expect(done).toBeInstanceOf(Response);
    expect((done as Response).headers.get("Location")).toBe(`/orders/${order.code}?checkout=${order.checkoutId}&reviewed=1`);

    const onOrder = payload<{ reviews: { orderLineId: string; rating: number }[] }>(
      await orderPage.loader(args(get(`/orders/${order.code}?checkout=${order.checkoutId}`), { code: order.code })),
    );
    expect(onOrder.reviews).toEqual([expect.objectContaining({ orderLineId: lineId, rating: 5 })]);

    const onProduct = payload<{ product: { soldUnits: number }; reviews: { count: number; newest: { body: string; lots: unknown[] }[] } }>(
      await productPage.loader(args(get(`/products/${product.id}`), { productId: product.id })),
    );
    expect(onProduct.product.soldUnits).toBe(2);
    expect(onProduct.reviews.count).toBe(1);
    expect(onProduct.reviews.newest[0]).toMatchObject({ body: fields.body, lots: [{ lotCode: "ST-1", traceCode: code }] });

    await sequenceAll();
    const trace = await scanPage(get(`/t/${code}`), code);
    const html = await trace.text();
    expect(html).toContain(fields.body);
    expect(html).toContain("Hoa T.");
    expect(html).not.toContain("Trần Minh Hoa");
    expect(html).not.toContain("<script src");
  });

  it("a photo comes with the review as WebP variants, served while the review shows; a file that is no image is refused", async () => {
    const { seller, product } = await shop();
    const order = await orderOf(product.id);
    await deliverOrder(order.id, seller.user.id);
    const lineId = order.lines[0]!.id;
    const notImage = postMultipart(reviewPath(order, lineId), {
      ...fields,
      photo: new File(["not a photo"], "a.jpg", { type: "image/jpeg" }),
    });
    notImage.headers.set("x-ocop-client-ip", ip());
    const refused = await reviewPage.action(args(notImage, { code: order.code, lineId }));
    expect(await statusOf(() => refused)).toBe(400);
    expect(payload<{ fieldErrors: Record<string, string> }>(refused).fieldErrors.photo).toBe("error.fileNotImage");
    const withPhoto = postMultipart(reviewPath(order, lineId), { ...fields, photo: await pngFile("chè.png", 800, 600) });
    withPhoto.headers.set("x-ocop-client-ip", ip());
    expect(await statusOf(() => reviewPage.action(args(withPhoto, { code: order.code, lineId })))).toBe(302);
    const review = await prisma.review.findUniqueOrThrow({ where: { orderLineId: lineId } });
    expect(review).toMatchObject({ photoWidth: 800, photoHeight: 600 });
    const served = await readPublicImage(`${review.photoKey}-320.webp`);
    expect(served?.mimeType).toBe("image/webp");
  });

  it("a second post of the same line is refused", async () => {
    const { seller, product } = await shop();
    const order = await orderOf(product.id);
    await deliverOrder(order.id, seller.user.id);
    const lineId = order.lines[0]!.id;
    const path = reviewPath(order, lineId);
    await reviewPage.action(args(postFrom(ip(), path, fields), { code: order.code, lineId }));
    const again = await reviewPage.action(args(postFrom(ip(), path, { rating: "1", body: "Đổi ý" }), { code: order.code, lineId }));
    expect(await statusOf(() => again)).toBe(409);
    expect(payload<{ formError: string }>(again).formError).toBe("review.already");
    expect(await prisma.review.findMany({ where: { orderLineId: lineId }, select: { rating: true } })).toEqual([{ rating: 5 }]);
  });

  it("an order not delivered shows no form and a forged post is refused", async () => {
    const { seller, product } = await shop();
    const order = await orderOf(product.id);
    await moveOrder(order.id, "CONFIRMED", seller.user.id);
    const lineId = order.lines[0]!.id;
    const path = reviewPath(order, lineId);
    expect(payload(await reviewPage.loader(args(get(path), { code: order.code, lineId })))).toMatchObject({ delivered: false });
    const page = payload<{ order: { status: string } }>(
      await orderPage.loader(args(get(`/orders/${order.code}?checkout=${order.checkoutId}`), { code: order.code })),
    );
    expect(page.order.status).toBe("CONFIRMED");
    const forged = await reviewPage.action(args(postFrom(ip(), path, fields), { code: order.code, lineId }));
    expect(await statusOf(() => forged)).toBe(409);
    expect(await prisma.review.count({ where: { orderLineId: lineId } })).toBe(0);
  });

  it("a stranger, another guest's link, another signed-in user, or a line of another order are refused", async () => {
    const { seller, product } = await shop();
    const buyer = await createUser(["SHOPPER"]);
    const mine = await orderOf(product.id, buyer.id);
    const guests = await orderOf(product.id);
    await deliverOrder(mine.id, seller.user.id);
    await deliverOrder(guests.id, seller.user.id);
    const lineId = mine.lines[0]!.id;
    const at = { code: mine.code, lineId };
    // No session: the signed-in buyer's order does not open, not even with a checkout id.
    expect(await statusOf(() => reviewPage.action(args(postFrom(ip(), `/orders/${mine.code}/review/${lineId}`, fields), at)))).toBe(404);
    expect(
      await statusOf(() =>
        reviewPage.action(args(postFrom(ip(), `/orders/${mine.code}/review/${lineId}?checkout=${mine.checkoutId}`, fields), at)),
      ),
    ).toBe(404);
    // Another signed-in shopper.
    const other = await cookieFor((await createUser(["SHOPPER"])).id);
    expect(await statusOf(() => reviewPage.action(args(post(`/orders/${mine.code}/review/${lineId}`, fields, other), at)))).toBe(404);
    // A guest's link opens their own order only.
    const guestLine = guests.lines[0]!.id;
    expect(
      await statusOf(() =>
        reviewPage.action(
          args(postFrom(ip(), reviewPath(guests, guestLine, mine.checkoutId), fields), { code: guests.code, lineId: guestLine }),
        ),
      ),
    ).toBe(404);
    // The guest's own order with the signed-in buyer's line in the path.
    expect(
      await statusOf(() => reviewPage.action(args(postFrom(ip(), reviewPath(guests, lineId), fields), { code: guests.code, lineId }))),
    ).toBe(404);
    expect(await prisma.review.count({ where: { productId: product.id } })).toBe(0);
    // The rightful signed-in buyer may.
    const own = await cookieFor(buyer.id);
    const done = await reviewPage.action(args(post(`/orders/${mine.code}/review/${lineId}`, fields, own), at));
    expect((done as Response).headers.get("Location")).toBe(`/orders/${mine.code}?reviewed=1`);
    expect(await prisma.review.findFirst({ where: { orderLineId: lineId }, select: { authorId: true } })).toEqual({ authorId: buyer.id });
  });

  it("bad input is refused field by field, with what was typed kept", async () => {
    const { seller, product } = await shop();
    const order = await orderOf(product.id);
    await deliverOrder(order.id, seller.user.id);
    const lineId = order.lines[0]!.id;
    const bad = await reviewPage.action(
      args(postFrom(ip(), reviewPath(order, lineId), { rating: "9", body: "x".repeat(501) }), { code: order.code, lineId }),
    );
    expect(await statusOf(() => bad)).toBe(400);
    expect(payload<{ fieldErrors: Record<string, string> }>(bad).fieldErrors).toMatchObject({
      rating: "review.ratingRequired",
      body: expect.stringContaining("error.tooLong"),
    });
    expect(payload<{ values: Record<string, string> }>(bad).values).toMatchObject({ rating: "9", body: "x".repeat(501) });
  });

  it("posts are limited per client address and per buyer", async () => {
    const { seller, product } = await shop();
    const order = await orderOf(product.id);
    await deliverOrder(order.id, seller.user.id);
    const lineId = order.lines[0]!.id;
    const from = ip();
    // Refused posts count too: the limit is taken before anything is read.
    for (let i = 0; i < allowance("reviewPerClient"); i++)
      await reviewPage.action(args(postFrom(from, reviewPath(order, lineId), { rating: "0", body: "" }), { code: order.code, lineId }));
    const limited = await reviewPage.action(args(postFrom(from, reviewPath(order, lineId), fields), { code: order.code, lineId }));
    expect(await statusOf(() => limited)).toBe(429);

    const buyerOrder = await orderOf(product.id);
    await deliverOrder(buyerOrder.id, seller.user.id);
    const buyerLine = buyerOrder.lines[0]!.id;
    for (let i = 0; i < allowance("reviewPerBuyer"); i++)
      await reviewPage.action(
        args(postFrom(ip(), reviewPath(buyerOrder, buyerLine), { rating: "0", body: "" }), { code: buyerOrder.code, lineId: buyerLine }),
      );
    const perBuyer = await reviewPage.action(
      args(postFrom(ip(), reviewPath(buyerOrder, buyerLine), fields), { code: buyerOrder.code, lineId: buyerLine }),
    );
    expect(await statusOf(() => perBuyer)).toBe(429);
    expect(await prisma.review.count({ where: { productId: product.id } })).toBe(0);
  });
});

describe("answering and hiding through their pages", () => {
  async function reviewed() {
    const { seller, product, code } = await shop();
    const order = await orderOf(product.id);
    await deliverOrder(order.id, seller.user.id);
    const lineId = order.lines[0]!.id;
    await reviewPage.action(args(postFrom(ip(), reviewPath(order, lineId), fields), { code: order.code, lineId }));
    const review = await prisma.review.findUniqueOrThrow({ where: { orderLineId: lineId } });
    return { seller, product, order, review, code };
  }

  it("the producer answers from its reviews page; another producer is refused (403)", async () => {
    const { seller, review } = await reviewed();
    const other = await createProducer("APPROVED", "HTX Khác");
    const otherCookie = await cookieFor(other.user.id);
    expect(payload<{ reviews: unknown[] }>(await producerReviews.loader(args(get("/producer/reviews", otherCookie)))).reviews).toEqual([]);
    const refused = await producerReviews.action(args(post("/producer/reviews", { reviewId: review.id, reply: "Của tôi" }, otherCookie)));
    expect(await statusOf(() => refused)).toBe(403);
    const own = await cookieFor(seller.user.id);
    expect(
      await statusOf(() => producerReviews.action(args(post("/producer/reviews", { reviewId: review.id, reply: "Cảm ơn anh chị!" }, own)))),
    ).toBe(200);
    expect((await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).reply).toBe("Cảm ơn anh chị!");
  });

  it("an inspector of another province is refused (403); one of the province hides it; the buyer sees why", async () => {
    const { review, order, product, code } = await reviewed();
    const shopper = await cookieFor((await createUser(["SHOPPER"])).id);
    expect(await statusOf(() => moderation.loader(args(get("/inspector/reviews", shopper))))).toBe(403);
    const far = await createUser(["INSPECTOR"]);
    await prisma.inspectorRegion.create({ data: { userId: far.id, provinceCode: "01" } });
    const farCookie = await cookieFor(far.id);
    expect(
      payload<{ reviews: { id: string }[] }>(await moderation.loader(args(get("/inspector/reviews", farCookie)))).reviews,
    ).not.toContainEqual(expect.objectContaining({ id: review.id }));
    const refused = await moderation.action(args(post("/inspector/reviews", { reviewId: review.id, reason: "Không đúng" }, farCookie)));
    expect(await statusOf(() => refused)).toBe(403);

    const near = await createUser(["INSPECTOR"]);
    await prisma.inspectorRegion.create({ data: { userId: near.id, provinceCode: "19" } });
    const nearCookie = await cookieFor(near.id);
    expect(
      await statusOf(() =>
        moderation.action(args(post("/inspector/reviews", { reviewId: review.id, reason: "Lời lẽ xúc phạm" }, nearCookie))),
      ),
    ).toBe(200);
    const onProduct = payload<{ reviews: { count: number } }>(
      await productPage.loader(args(get(`/products/${product.id}`), { productId: product.id })),
    );
    expect(onProduct.reviews.count).toBe(0);
    const onOrder = payload<{ reviews: { hiddenReason: string | null }[] }>(
      await orderPage.loader(args(get(`/orders/${order.code}?checkout=${order.checkoutId}`), { code: order.code })),
    );
    expect(onOrder.reviews[0]!.hiddenReason).toBe("Lời lẽ xúc phạm");
    await sequenceAll();
    expect(await (await scanPage(get(`/t/${code}`), code)).text()).not.toContain(fields.body);
  });
});
