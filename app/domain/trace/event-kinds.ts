// The Critical Tracking Events a farm really has, each with its Key Data Elements.
// One table drives both the form (labels: i18n `event.field.{name}`) and the
// validation (events.server.ts), so they cannot drift apart.

export type KdeField = {
  name: string;
  type: "text" | "int" | "longtext";
  required: boolean;
  max?: number;
  /** Shown on the lot's trace page but left out of the bulk open data: it may name a person. */
  personal?: true;
};

export const EVENT_FORMS = {
  PLANTING: [
    { name: "variety", type: "text", required: true, max: 100 },
    { name: "area", type: "text", required: true, max: 100 },
  ],
  INPUT_APPLICATION: [
    { name: "inputName", type: "text", required: true, max: 120 },
    { name: "activeIngredient", type: "text", required: true, max: 120 },
    { name: "dose", type: "text", required: true, max: 120 },
    { name: "phiDays", type: "int", required: true, max: 365 },
  ],
  HARVESTING: [
    { name: "quantity", type: "int", required: true, max: 100_000_000 },
    { name: "unit", type: "text", required: true, max: 20 },
    { name: "plot", type: "text", required: false, max: 100 },
    { name: "phiReason", type: "longtext", required: false, max: 500 },
  ],
  PROCESSING: [
    { name: "method", type: "text", required: true, max: 200 },
    { name: "outputQuantity", type: "int", required: false, max: 100_000_000 },
  ],
  PACKING: [
    { name: "quantity", type: "int", required: true, max: 100_000_000 },
    { name: "packageType", type: "text", required: true, max: 100 },
  ],
  STORING: [
    { name: "storage", type: "text", required: true, max: 150 },
    { name: "temperature", type: "text", required: false, max: 40 },
  ],
  SHIPPING: [
    { name: "recipient", type: "text", required: true, max: 150, personal: true },
    { name: "quantity", type: "int", required: true, max: 100_000_000 },
    { name: "documentNumber", type: "text", required: false, max: 60 },
  ],
  RECEIVING: [
    { name: "sender", type: "text", required: true, max: 150, personal: true },
    { name: "quantity", type: "int", required: true, max: 100_000_000 },
    { name: "documentNumber", type: "text", required: false, max: 60 },
  ],
} as const satisfies Record<string, readonly KdeField[]>;

export type FormEventKind = keyof typeof EVENT_FORMS;
export const FORM_EVENT_KINDS = Object.keys(EVENT_FORMS) as FormEventKind[];

export function isFormEventKind(v: unknown): v is FormEventKind {
  return typeof v === "string" && v in EVENT_FORMS;
}

/** How many source-batch rows the processing form offers (transformation inputs). */
export const MAX_SOURCES = 3;
