import { ProducerType } from "@prisma/client";

// The six OCOP product groups (Decision 919/QĐ-TTg; criteria per Decision 148/QĐ-TTg).
// Labels come from i18n: key `ocop.group.N`.
export const OCOP_GROUPS = [1, 2, 3, 4, 5, 6] as const;
export type OcopGroup = (typeof OCOP_GROUPS)[number];

// The schema's producer types, in its order (client-safe: the browser build of @prisma/client carries its enums).
export const PRODUCER_TYPES = Object.values(ProducerType);

/** Units a farmer picks from; free text is refused so listings stay comparable. */
export const PRODUCT_UNITS = ["kg", "g", "hop", "chai", "goi", "tui", "lit", "qua", "cai", "bo", "lo", "hu", "thung", "ve"] as const;
export type ProductUnit = (typeof PRODUCT_UNITS)[number];
