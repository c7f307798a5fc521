// What a buyer is told about the lots of their order that were held or recalled after it was placed.

export type AlertSource = {
  status: string;
  producer: { name: string; members: { user: { phone: string | null; email: string | null } }[] };
  lines: {
    allocations: {
      batch: {
        lotCode: string;
        status: string;
        holdReason: string | null;
        holdUntil: Date | null;
        codes: { code: string }[];
        recalls: { reason: string; instructions: string }[];
      };
    }[];
  }[];
};

export type LotAlert = {
  kind: "held" | "recalled";
  lotCode: string;
  reason: string | null;
  instructions: string | null;
  until: Date | null;
  producer: string;
  contact: string | null;
  traceCode: string | null;
};

/**
 * failed test stops the sale: every held or recalled lot this order received (or will), with
 * what to do: the recall notice's text, the producer's contact, the way back (return, refund).
 * None for an order that was cancelled or refunded before anything reached the buyer.
 */
export function lotAlertsOf(order: AlertSource): LotAlert[] {
  if (order.status === "CANCELLED" || order.status === "REFUNDED") return [];
  const owner = order.producer.members[0]?.user;
  const contact = owner?.phone ?? owner?.email ?? null;
  const seen = new Set<string>();
  const alerts: LotAlert[] = [];
  for (const a of order.lines.flatMap((l) => l.allocations)) {
    const b = a.batch;
    if (seen.has(b.lotCode)) continue;
    const recall = b.recalls[0];
    const kind = recall || b.status === "RECALLED" ? "recalled" : b.status === "ON_HOLD" ? "held" : null;
    if (!kind) continue;
    seen.add(b.lotCode);
    alerts.push({
      kind,
      lotCode: b.lotCode,
      reason: recall?.reason ?? b.holdReason,
      instructions: recall?.instructions ?? null,
      until: kind === "held" ? b.holdUntil : null,
      producer: order.producer.name,
      contact,
      traceCode: b.codes[0]?.code ?? null,
    });
  }
  return alerts;
}
