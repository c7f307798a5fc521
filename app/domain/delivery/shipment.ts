import { z } from "zod";
import { CARRIERS, TRACKING_NUMBER } from "./carriers";

// What the producer types when an order leaves: the carrier and its tracking number. Numbers
// are read loosely (spaces, dashes and lower case are dropped or raised) and then bounded:
// 6–30 letters and digits, the shape of every carrier's codes here.
export const shipmentFields = {
  carrier: z.enum(CARRIERS, { errorMap: () => ({ message: "error.chooseOne" }) }),
  trackingNumber: z
    .string()
    .max(60, "delivery.badTrackingNumber")
    .optional()
    .transform((v) => (v ?? "").replace(/[\s-]/g, "").toUpperCase())
    .refine((v) => v === "" || TRACKING_NUMBER.test(v), "delivery.badTrackingNumber")
    .transform((v) => (v === "" ? null : v)),
};

const shipmentSchema = z.object(shipmentFields).refine((s) => s.carrier === "OWN" || s.trackingNumber !== null, {
  path: ["trackingNumber"],
  message: "delivery.trackingNumberRequired",
});
export type ShipmentInput = z.output<typeof shipmentSchema>;

/** The shipment part of a posted form, or the refusal to show next to it. */
export function parseShipment(fields: Record<string, unknown>): { ok: true; data: ShipmentInput } | { ok: false; error: string } {
  const parsed = shipmentSchema.safeParse(fields);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, error: parsed.error.issues[0]!.message };
}
