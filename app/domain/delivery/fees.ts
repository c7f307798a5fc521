// The fee rule, with no database: one producer's table and one province give a fee and an
// estimate, or "not delivered". Checkout, the product page and the cart all call this.

export type FeeZone = {
  name: string;
  provinceCodes: string[];
  coversRest: boolean;
  feeVnd: number;
  minDays: number;
  maxDays: number;
};

export type FeeTable = {
  flatFeeVnd: number;
  freeAboveVnd: number | null;
  zones: FeeZone[];
};

export type DeliveryQuote =
  // zoneName null: the producer has set no table yet (no fee, no estimate).
  | { delivered: true; zoneName: string | null; feeVnd: number; free: boolean; minDays: number | null; maxDays: number | null }
  | { delivered: false };

/** The zone a province falls in: a zone naming it, else the zone for the rest, else none. */
export function zoneFor(table: FeeTable, provinceCode: string): FeeZone | undefined {
  return table.zones.find((z) => z.provinceCodes.includes(provinceCode)) ?? table.zones.find((z) => z.coversRest);
}

/**
 * What one producer's order of `subtotalVnd` costs to send to `provinceCode`: the flat fee
 * plus the zone's fee, nothing once the subtotal reaches the free-above amount; a province
 * in none of its zones is not delivered to.
 */
export function quoteDelivery(table: FeeTable | null, provinceCode: string, subtotalVnd: number): DeliveryQuote {
  // A producer that has not set a table yet sells as before delivery fees existed: no fee
  // and no estimate (ADR 034), so no seller stops selling the day fees appear.
  if (!table) return { delivered: true, zoneName: null, feeVnd: 0, free: false, minDays: null, maxDays: null };
  const zone = zoneFor(table, provinceCode);
  if (!zone) return { delivered: false };
  const free = table.freeAboveVnd !== null && subtotalVnd >= table.freeAboveVnd;
  return {
    delivered: true,
    zoneName: zone.name,
    feeVnd: free ? 0 : table.flatFeeVnd + zone.feeVnd,
    free,
    minDays: zone.minDays,
    maxDays: zone.maxDays,
  };
}
