import { prisma } from "~/db.server";
import { appUrl } from "~/lib/app-url.server";
import { toVnIso } from "~/lib/time";

// A batch's events as an EPCIS 2.0 JSON-LD document (what/when/where/why).
// Times: EPCIS 2.0's Time type is an instant, written as an RFC 3339 / xsd:dateTime with
// its offset ("date-time" in GS1's JSON schema), and eventTimeZoneOffset says the offset in
// force where the event happened; the standard's own examples pair "…T20:33:31.116-06:00"
// with "-06:00". So eventTime is written in Vietnam time, "2026-11-22T06:00:00+07:00" with
// "+07:00": the same instant as the UTC form (the CBV event hash normalises it to UTC).
// Lots are identified by their GS1 Digital Link URI when the product has a GTIN,
// else by our own lot URI; our Key Data Elements travel as `ocop:` extensions.

const CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", { ocop: "https://ocop-trace.vn/voc/" }];

/** CBV 2.0 business steps where one fits; our own vocabulary URI where none does. */
const BIZ_STEP: Record<string, string> = {
  PLANTING: "https://ocop-trace.vn/voc/bizstep/planting",
  INPUT_APPLICATION: "https://ocop-trace.vn/voc/bizstep/input_application",
  HARVESTING: "commissioning",
  PROCESSING: "creating_class_instance",
  PACKING: "packing",
  STORING: "storing",
  SHIPPING: "shipping",
  RECEIVING: "receiving",
  INSPECTING: "inspecting",
  OTHER: "other",
};

/** UN/CEFACT unit codes for the units farmers write most. */
const UOM: Record<string, string> = { kg: "KGM", g: "GRM", lit: "LTR", lít: "LTR", l: "LTR", tan: "TNE", tấn: "TNE" };

export function lotUri(product: { gtin: string | null }, lotCode: string, batchId: string): string {
  return product.gtin ? `https://id.gs1.org/01/${product.gtin}/10/${encodeURIComponent(lotCode)}` : `${appUrl()}/lots/${batchId}`;
}

export async function batchEpcisDocument(batchId: string) {
  const batch = await prisma.batch.findUnique({
    where: { id: batchId },
    include: {
      product: { select: { gtin: true, name: true, producerId: true } },
      events: { orderBy: [{ occurredAt: "asc" }, { createdAt: "asc" }] },
      inputs: { include: { sourceBatch: { select: { id: true, lotCode: true, product: { select: { gtin: true } } } } } },
    },
  });
  if (!batch) return null;
  const lot = lotUri(batch.product, batch.lotCode, batch.id);
  const location = `${appUrl()}/producers/${batch.product.producerId}`;
  const eventId = (id: string) => `${appUrl()}/events/${id}`;
  const correctedBy = new Map(batch.events.filter((e) => e.correctsId).map((e) => [e.correctsId!, e.id]));

  const eventList = batch.events.map((e) => {
    const data = JSON.parse(e.data) as Record<string, unknown>;
    const quantity =
      typeof data.quantity === "number" ? data.quantity : typeof data.outputQuantity === "number" ? data.outputQuantity : null;
    const uom = typeof data.unit === "string" ? UOM[data.unit.toLowerCase()] : undefined;
    const extensions = Object.fromEntries(
      Object.entries(data)
        .filter(([k, v]) => k !== "sources" && v !== undefined && v !== null && typeof v !== "object")
        .map(([k, v]) => [`ocop:${k}`, v]),
    );
    const base = {
      eventID: eventId(e.id),
      eventTime: toVnIso(e.occurredAt),
      eventTimeZoneOffset: "+07:00",
      bizStep: BIZ_STEP[e.kind] ?? "other",
      readPoint: { id: location },
      bizLocation: { id: location },
      ...(e.place ? { "ocop:place": e.place } : {}),
      ...(e.phiFlag ? { "ocop:preHarvestIntervalNotPassed": true } : {}),
      ...extensions,
      // An event a later one corrects carries an EPCIS error declaration pointing at its correction.
      ...(correctedBy.has(e.id)
        ? {
            errorDeclaration: {
              declarationTime: toVnIso(e.createdAt),
              reason: "incorrect_data",
              correctiveEventIDs: [eventId(correctedBy.get(e.id)!)],
            },
          }
        : {}),
    };
    const qty = { epcClass: lot, ...(quantity !== null ? { quantity, ...(uom ? { uom } : {}) } : {}) };
    if (e.kind === "PROCESSING" && batch.inputs.length) {
      return {
        type: "TransformationEvent",
        ...base,
        inputQuantityList: batch.inputs.map((i) => ({
          epcClass: lotUri(i.sourceBatch.product, i.sourceBatch.lotCode, i.sourceBatch.id),
          quantity: i.quantity,
        })),
        outputQuantityList: [qty],
      };
    }
    return { type: "ObjectEvent", action: e.kind === "HARVESTING" ? "ADD" : "OBSERVE", ...base, quantityList: [qty] };
  });

  return {
    "@context": CONTEXT,
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: toVnIso(new Date()),
    epcisBody: { eventList },
  };
}
