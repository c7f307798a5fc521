import { prisma } from "~/db.server";
import { codeRows } from "./code-rows.server";
import { toView, type TraceView } from "./trace-page.server";

// PostgreSQL text holds no NUL (%00 in a path): no code has one, so it is unknown, not a failure.
const hasNul = (...parts: (string | null)[]) => parts.some((part) => part?.includes("\u0000"));

export type Gs1Resolution = { view: TraceView } | { redirectTo: string } | null;

// Lots are stored upper case; serials are upper case (random ones) or digits (before them).
const gs1Key = (gtin: string, lot: string, serial: string) => ({ gtin, lot: lot.toUpperCase(), serial: serial.toUpperCase() });

/** The canonical GS1 Digital Link path of one unit, as its label's QR holds it. */
export function gs1UnitPath(gtin: string, lot: string, serial: string): string {
  const k = gs1Key(gtin, lot, serial);
  return `/01/${k.gtin}/10/${encodeURIComponent(k.lot)}/21/${encodeURIComponent(k.serial)}`;
}

/**
 * GS1 Digital Link resolution: /01/{gtin}/10/{lot}[/21/{serial}]. A lot not on file falls
 * back to its product (GTINs and lots are public). A unit path is all or nothing: one
 * query for GTIN, lot and serial together, and any miss is null (the 404 of an unknown
 * code), so guessing serials tells nothing, not even whether the lot exists.
 */
export async function resolveGs1(gtin: string, lot: string | null, serial: string | null): Promise<Gs1Resolution> {
  if (lot === null) return null;
  if (hasNul(gtin, lot, serial)) return null;
  if (serial !== null) {
    const [code] = await codeRows(gs1Key(gtin, lot, serial));
    const view = await toView(code);
    return view ? { view } : null;
  }
  const product = await prisma.product.findUnique({ where: { gtin }, select: { id: true } });
  if (!product) return null;
  const batch = await prisma.batch.findUnique({
    where: { productId_lotCode: { productId: product.id, lotCode: lot.toUpperCase() } },
    select: { id: true },
  });
  if (!batch) return { redirectTo: `/01/${gtin}` };
  const [code] = await codeRows({ batchId: batch.id });
  const view = await toView(code);
  return view ? { view } : null;
}

/** The unit behind a GS1 unit path, for its PIN (null when any part is unknown). */
export async function findGs1Unit(gtin: string, lot: string, serial: string) {
  if (hasNul(gtin, lot, serial)) return null;
  const k = gs1Key(gtin, lot, serial);
  return prisma.traceCode.findFirst({
    where: { kind: "UNIT", serial: k.serial, batch: { lotCode: k.lot, product: { gtin: k.gtin } } },
    select: { id: true, batchId: true, kind: true, status: true, pinHash: true },
  });
}
