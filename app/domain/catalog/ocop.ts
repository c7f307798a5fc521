import type { ProducerType } from "@prisma/client";
import { enumValues } from "~/lib/enum-values";

// The six OCOP product groups (Decision 919/QĐ-TTg; criteria per Decision 148/QĐ-TTg).
// Labels come from i18n: key `ocop.group.N`.
export const OCOP_GROUPS = [1, 2, 3, 4, 5, 6] as const;
export type OcopGroup = (typeof OCOP_GROUPS)[number];

// The schema's producer types, in its order (client-safe: see enumValues).
export const PRODUCER_TYPES = enumValues<ProducerType>({ HOUSEHOLD: true, COOPERATIVE: true, COOP_GROUP: true, ENTERPRISE: true });

/** Units a farmer picks from; free text is refused so listings stay comparable. */
export const PRODUCT_UNITS = ["kg", "g", "hop", "chai", "goi", "tui", "lit", "qua", "cai", "bo", "lo", "hu", "thung", "ve"] as const;
export type ProductUnit = (typeof PRODUCT_UNITS)[number];
