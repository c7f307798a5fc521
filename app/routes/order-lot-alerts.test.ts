// A hold or recall of a lot the buyer received shows on their order page and receipt, with what to do.
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { prisma } from "~/db.server";
import { confirmCodOrder, moveOrder } from "~/domain/orders/order-moves.server";
import { holdBatch, recallBatch } from "~/domain/inspection/recalls.server";
import { LotAlerts } from "~/components/order-receipt";
import { LocaleProvider } from "~/i18n/use-t";
import { args, createProducer, createUser, get, payload, placeCodOrder } from "../../test/helpers";
import * as orderPage from "./orders.$code";
import * as checkoutDone from "./checkout.$checkoutId";

type Alerts = {
  kind: string;
  lotCode: string;
  instructions: string | null;
  reason: string | null;
  contact: string | null;
  producer: string;
  traceCode: string | null;
}[];

describe("a recalled lot on the buyer's order", () => {
  it("shows on the order page and the checkout receipt, with the recall notice, the producer's contact and how to get the money back", async () => {
    const seller = await createProducer("APPROVED", "HTX Mơ");
    const product = await prisma.product.create({
      data: {
        producerId: seller.producer.id,
        name: "Ô mai mơ",
        ocopGroup: 1,
        unit: "hop",
        priceVnd: 90000,
        description: "",
        listingStatus: "LISTED",
      },
    });
    const batch = await prisma.batch.create({
      data: { productId: product.id, lotCode: "OM-1", producedAt: new Date("2026-09-01"), quantity: 10, stock: 10 },
    });
    const order = await placeCodOrder(product.id, { quantity: 2, buyerName: "Đỗ Thị Hạnh", buyerPhone: "0912000888" });
    expect(await confirmCodOrder(order.id, seller.user.id)).toMatchObject({ ok: true });
    for (const to of ["PACKED", "SHIPPED", "DELIVERED"] as const)
      expect(await moveOrder(order.id, to, seller.user.id)).toMatchObject({ ok: true });

    const inspector = await createUser(["INSPECTOR"]);
    await holdBatch(batch.id, inspector.id, "Chờ xét nghiệm nấm mốc");
    const held = payload<{ order: { lotAlerts: Alerts } }>(
      await orderPage.loader(args(get(`/orders/${order.code}?checkout=${order.checkoutId}`), { code: order.code })),
    );
    expect(held.order.lotAlerts).toMatchObject([{ kind: "held", lotCode: "OM-1", reason: "Chờ xét nghiệm nấm mốc" }]);

    await recallBatch(batch.id, inspector.id, {
      reason: "Nhiễm nấm mốc",
      recallClass: 2,
      instructions: "Không ăn, mang trả nơi mua để được hoàn tiền",
    });
    const onPage = payload<{ order: { lotAlerts: Alerts } }>(
      await orderPage.loader(args(get(`/orders/${order.code}?checkout=${order.checkoutId}`), { code: order.code })),
    );
    const receipt = payload<{ orders: { order: { lotAlerts: Alerts } }[] }>(
      await checkoutDone.loader(args(get(`/checkout/${order.checkoutId}`), { checkoutId: order.checkoutId })),
    );
    for (const alerts of [onPage.order.lotAlerts, receipt.orders[0]!.order.lotAlerts]) {
      expect(alerts).toMatchObject([
        { kind: "recalled", lotCode: "OM-1", instructions: "Không ăn, mang trả nơi mua để được hoàn tiền", contact: seller.user.phone },
      ]);
    }
    const html = renderToString(
      createElement(
        LocaleProvider,
        { value: "vi" },
        createElement(LotAlerts, { alerts: onPage.order.lotAlerts, status: "DELIVERED", reportHref: "/t/X/report" }),
      ),
    );
    expect(html).toContain('data-lot-alert="recalled"');
    expect(html).toContain("Không ăn, mang trả nơi mua để được hoàn tiền");
    expect(html).toContain(seller.user.phone!);
    expect(html).toContain("hoàn tiền");
    expect(html).toContain("Đã giao, nhưng lô này đang bị thu hồi");
  });
});
