import { notFound, requireProducerMember } from "~/web/auth.server";
import { findBatchOfProducer } from "~/domain/catalog/batch.server";
import { translator } from "~/i18n/translate";
import { isBlockedLot } from "~/domain/orders/order-state";
import { qrUrl } from "~/domain/trace/code.server";
import type { LabelInput } from "~/domain/trace/label.server";

/**
 * The label of one of the signed-in producer's batches. Labels are always in
 * Vietnamese: they go on products sold in Vietnam, whatever the producer's UI language.
 */
export async function requireOwnLabel(request: Request, batchId: string | undefined): Promise<{ input: LabelInput; fileBase: string }> {
  const { producer } = await requireProducerMember(request);
  const batch = await findBatchOfProducer(producer.id, batchId ?? "");
  const code = batch?.codes[0];
  if (!batch || !code) throw notFound();
  // failed test stops the sale: no new labels for a held or recalled lot.
  if (isBlockedLot(batch.status))
    throw new Response(translator("vi")("error.batchClosed"), { status: 409, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const t = translator("vi");
  return {
    input: {
      url: qrUrl(code, batch.product, batch.lotCode),
      productName: batch.product.name,
      producerName: producer.name,
      lotCode: batch.lotCode,
      expiresAt: batch.expiresAt,
      callToScan: t("label.callToScan"),
      lotLabel: t("label.lot"),
      expiryLabel: t("label.expiry"),
    },
    fileBase: `nhan-${batch.lotCode.replace(/[^A-Z0-9-]/gi, "_")}`,
  };
}
