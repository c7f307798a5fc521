// Delivered demo orders and their reviews, so the demo shows stars, reviews naming their lot and
// "Đã bán N" from the first visit. Every step is the one a person's click takes: the buyer's cart
// and checkout, the producer's "paid", "packed", "shipped" (carrier and tracking number) and
// "delivered", the buyer's review of each line and the producer's one answer.
import { prisma } from "../app/db.server";
import { setCartQuantity, type CartHolder } from "../app/domain/orders/cart.server";
import { checkoutSchema, placeCheckout } from "../app/domain/orders/checkout.server";
import { moveOrder, shipOrder } from "../app/domain/orders/order-moves.server";
import { markTransferReceived } from "../app/domain/payments/payments.server";
import { parseShipment } from "../app/domain/delivery/shipment";
import { replySchema, reviewSchema } from "../app/domain/reviews/review-input";
import { answerReview, postReview } from "../app/domain/reviews/reviews.server";

type DemoReview = { rating: 3 | 4 | 5; body: string; answer?: string };
type DemoPurchase = {
  /** A demo account's phone (checks out signed in), or none: a guest's checkout. */
  accountPhone?: string;
  buyerName: string;
  buyerPhone: string;
  provinceCode: string;
  wardCode: string;
  street: string;
  /** What goes in the cart, and what the buyer says of each product once delivered. */
  lines: { product: string; quantity: number; review: DemoReview }[];
};

// The tea of the README walk gets three reviews (one answered), the fish sauce of its search two.
const purchases: DemoPurchase[] = [
  {
    accountPhone: "0987654321",
    buyerName: "Phạm Thu Hà",
    buyerPhone: "0987654321",
    provinceCode: "01",
    wardCode: "00166",
    street: "Số 12, ngõ 165 Xuân Thủy",
    lines: [
      {
        product: "Chè búp Tân Cương",
        quantity: 2,
        review: {
          rating: 5,
          body: "Chè thơm mùi cốm, nước xanh trong, pha đến nước thứ tư vẫn đậm. Hộp đóng kỹ, 4 ngày là tới Hà Nội.",
          answer: "Cảm ơn chị Hà đã tin dùng chè của hợp tác xã. Chị nhớ bảo quản nơi khô ráo, đậy kín hộp sau khi pha nhé.",
        },
      },
      {
        product: "Nước mắm Phú Quốc 40 độ đạm",
        quantity: 1,
        review: { rating: 4, body: "Mắm thơm, đậm mà không gắt, chấm rau luộc rất ngon. Chai thủy tinh được bọc xốp cẩn thận." },
      },
    ],
  },
  {
    buyerName: "Trần Quốc Việt",
    buyerPhone: "0978112233",
    provinceCode: "31",
    wardCode: "11383",
    street: "Số 45 Tô Hiệu",
    lines: [
      {
        product: "Chè búp Tân Cương",
        quantity: 1,
        review: {
          rating: 4,
          body: "Vị chát nhẹ rồi ngọt hậu, đúng chè Thái. Giá hơi cao, bù lại quét mã trên hộp xem được cả mùa vụ nên yên tâm.",
        },
      },
      {
        product: "Nước mắm Phú Quốc 40 độ đạm",
        quantity: 3,
        review: { rating: 3, body: "Mắm ngon nhưng một chai bị rỉ ở nắp, túi hàng có mùi. Lần sau mong shop quấn nắp kỹ hơn." },
      },
    ],
  },
  {
    buyerName: "Lê Ngọc Ánh",
    buyerPhone: "0966445566",
    provinceCode: "19",
    wardCode: "05443",
    street: "Tổ 7, đường Lương Ngọc Quyến",
    lines: [
      {
        product: "Chè búp Tân Cương",
        quantity: 3,
        review: { rating: 5, body: "Mua biếu bố mẹ, cả nhà đều khen. Giao trong ngày hôm sau, hộp còn thơm mùi chè mới sao." },
      },
    ],
  },
];

// Each producer hands its parcels to one carrier; the numbers have the carriers' own shape.
const carrierOf: Record<string, { carrier: string; prefix: string }> = {
  "HTX Chè Tân Cương": { carrier: "GHN", prefix: "GHNTN" },
  "Công ty TNHH Nước mắm Phú Quốc Hưng Thịnh": { carrier: "VIETTEL_POST", prefix: "VTP17" },
};

/** Where the demo's carts come from: a key of its own, so no visitor's guest-cart allowance is spent. */
const SEED_CLIENT = "demo-seed";

function must<T extends { ok: boolean }>(result: T, what: string): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`seed: ${what} refused: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

export async function seedDeliveredOrders() {
  for (const [n, purchase] of purchases.entries()) {
    const account = purchase.accountPhone
      ? await prisma.user.findUniqueOrThrow({ where: { phone: purchase.accountPhone }, select: { id: true, email: true } })
      : null;
    const holder: CartHolder = { userId: account?.id ?? null, guestCartId: null, clientAddress: SEED_CLIENT };
    const productIds = new Map<string, string>();
    for (const line of purchase.lines) {
      const product = await prisma.product.findFirstOrThrow({ where: { name: line.product }, select: { id: true } });
      productIds.set(line.product, product.id);
      const added = must(await setCartQuantity(holder, product.id, line.quantity, "set"), `cart of ${purchase.buyerName}`);
      holder.guestCartId ??= added.newGuestCartId;
    }
    const cart = account
      ? await prisma.cart.findUniqueOrThrow({ where: { userId: account.id }, select: { id: true } })
      : { id: holder.guestCartId! };
    // VietQR: the producer marks the transfer received, as its orders page does.
    const input = checkoutSchema.parse({ ...purchase, paymentMethod: "VIETQR" });
    const placed = must(
      await placeCheckout({ cartId: cart.id, buyerId: account?.id ?? null, buyerEmail: account?.email ?? null, input }),
      `checkout of ${purchase.buyerName}`,
    );
    for (const { id: orderId } of placed.orders) {
      const order = await prisma.order.findUniqueOrThrow({
        where: { id: orderId },
        select: {
          producer: { select: { name: true, members: { where: { role: "OWNER" }, select: { userId: true } } } },
          lines: { select: { id: true, productId: true } },
        },
      });
      const ownerId = order.producer.members[0]!.userId;
      const { carrier, prefix } = carrierOf[order.producer.name] ?? { carrier: "GHTK", prefix: "S1" };
      const shipment = must(
        parseShipment({ carrier, trackingNumber: `${prefix}${String(48213 + n * 7919).padStart(7, "0")}` }),
        "shipment",
      );
      must(await markTransferReceived(orderId, ownerId), "transfer received");
      must(await moveOrder(orderId, "PACKED", ownerId), "packing");
      must(await shipOrder(orderId, ownerId, shipment.data), "shipping");
      must(await moveOrder(orderId, "DELIVERED", ownerId), "delivery");
      // The buyer's order as the review page reads it (postReview checks it was delivered).
      const delivered = await prisma.order.findUniqueOrThrow({
        where: { id: orderId },
        select: { id: true, status: true, buyerName: true },
      });
      for (const line of purchase.lines) {
        const orderLine = order.lines.find((l) => l.productId === productIds.get(line.product));
        if (!orderLine) continue; // the other producer's order holds it
        const review = reviewSchema.parse({ lineId: orderLine.id, rating: String(line.review.rating), body: line.review.body });
        const posted = must(await postReview(delivered, account?.id ?? null, review), `review of ${line.product}`);
        if (line.review.answer) {
          const reply = replySchema.parse({ reviewId: posted.reviewId, reply: line.review.answer });
          must(await answerReview(reply.reviewId, ownerId, reply.reply), `answer to ${purchase.buyerName}`);
        }
      }
    }
  }
}
