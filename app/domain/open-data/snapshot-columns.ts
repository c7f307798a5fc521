import type { DatasetId } from "./datasets";

// The columns of each daily snapshot file, as Frictionless Table Schemas (the datapackage.json
// of a day carries them). Only public facts (ADR on open-data snapshots): no phone, e-mail,
// street address, bank account, unit serial, client key, network key, IP or buyer; no
// inspector's or recorder's name. snapshot-queries.server.ts selects exactly these columns.

export type FieldType = "string" | "integer" | "boolean" | "date" | "datetime";

export type TableField = {
  name: string;
  type: FieldType;
  title: string;
  description: string;
  /** "json" on a string column holding a JSON object (Table Schema has no JSON type for CSV). */
  format?: "default" | "json";
  constraints?: { required?: boolean; enum?: string[]; minimum?: number };
};

export type TableSchema = { fields: TableField[]; primaryKey: string[]; missingValues: string[] };

/** Scan counts below this are published as empty with `suppressed` true (ADR: k = 5). */
export const SUPPRESS_BELOW = 5;

const id = (what: string): TableField => ({
  name: "id",
  type: "string",
  title: "Id",
  description: `The ${what}'s id on this site (stable across snapshots).`,
  constraints: { required: true },
});
const ref = (name: string, what: string, dataset: string): TableField => ({
  name,
  type: "string",
  title: `${what} id`,
  description: `The ${what}'s id (the id column of the ${dataset} file).`,
  constraints: { required: true },
});

const schema = (fields: TableField[], primaryKey = ["id"]): TableSchema => ({ fields, primaryKey, missingValues: [""] });

export const SNAPSHOT_SCHEMAS: Record<DatasetId, TableSchema> = {
  producers: schema([
    id("producer"),
    {
      name: "type",
      type: "string",
      title: "Type",
      description: "Farm household, cooperative, cooperative group or enterprise.",
      constraints: { required: true, enum: ["HOUSEHOLD", "COOPERATIVE", "COOP_GROUP", "ENTERPRISE"] },
    },
    {
      name: "name",
      type: "string",
      title: "Name",
      description: "The name on the producer's public page.",
      constraints: { required: true },
    },
    {
      name: "ward_code",
      type: "string",
      title: "Ward code",
      description: "Ward or commune code (codes in force since 1 July 2025).",
      constraints: { required: true },
    },
    {
      name: "province_code",
      type: "string",
      title: "Province code",
      description: "Province or city code (codes in force since 1 July 2025).",
      constraints: { required: true },
    },
    { name: "story", type: "string", title: "Story", description: "What the producer tells about itself on its public page." },
    { name: "approved_at", type: "datetime", title: "Approved at", description: "When the province approved the producer (UTC)." },
  ]),
  products: schema([
    id("product"),
    ref("producer_id", "producer", "producers"),
    { name: "name", type: "string", title: "Name", description: "Product name.", constraints: { required: true } },
    {
      name: "ocop_group",
      type: "integer",
      title: "OCOP group",
      description: "OCOP product group (1–6).",
      constraints: { required: true, minimum: 1 },
    },
    { name: "ocop_subgroup", type: "string", title: "OCOP subgroup", description: "OCOP product subgroup, when given." },
    { name: "unit", type: "string", title: "Unit", description: "The unit it is sold by.", constraints: { required: true } },
    {
      name: "price_vnd",
      type: "integer",
      title: "Price (VND)",
      description: "Price of one unit in Vietnamese dong.",
      constraints: { required: true, minimum: 0 },
    },
    { name: "gtin", type: "string", title: "GTIN", description: "GS1 trade item number, when the product has one." },
    { name: "description", type: "string", title: "Description", description: "The producer's description." },
    {
      name: "listed",
      type: "boolean",
      title: "On sale",
      description: "True while the product is on sale in the shop; false once the producer took it off sale (its lots stay published).",
      constraints: { required: true },
    },
    {
      name: "ocop_stars",
      type: "integer",
      title: "OCOP stars",
      description:
        "Stars of the product's active OCOP certificate verified by an OCOP officer; empty when none (self-declared stars are never published).",
      constraints: { minimum: 1 },
    },
    {
      name: "ocop_level",
      type: "string",
      title: "OCOP level",
      description: "Who granted the verified stars.",
      constraints: { enum: ["PROVINCE", "CENTRAL"] },
    },
    {
      name: "ocop_decision_number",
      type: "string",
      title: "OCOP decision number",
      description: "Number of the decision that granted the verified stars, so anyone can check it with the issuing office.",
    },
    { name: "ocop_valid_until", type: "date", title: "OCOP valid until", description: "Last day of the verified certificate." },
  ]),
  lots: schema([
    id("lot"),
    ref("product_id", "product", "products"),
    { name: "lot_code", type: "string", title: "Lot code", description: "The producer's lot code.", constraints: { required: true } },
    { name: "produced_at", type: "datetime", title: "Produced at", description: "Production date (UTC).", constraints: { required: true } },
    { name: "expires_at", type: "datetime", title: "Expires at", description: "Expiry date (UTC), when given." },
    {
      name: "quantity",
      type: "integer",
      title: "Quantity",
      description: "Units made in the lot.",
      constraints: { required: true, minimum: 0 },
    },
    {
      name: "production_area",
      type: "string",
      title: "Production area",
      description: "Where it was grown or made, as the producer named it.",
    },
    {
      name: "status",
      type: "string",
      title: "Status",
      description: "ACTIVE (on sale), ON_HOLD (held by an inspector or a pre-harvest interval), RECALLED, DEPLETED.",
      constraints: { required: true, enum: ["ACTIVE", "ON_HOLD", "RECALLED", "DEPLETED"] },
    },
    { name: "hold_reason", type: "string", title: "Hold reason", description: "Why the lot is held, while it is." },
  ]),
  "trace-events": schema([
    id("event"),
    ref("lot_id", "lot", "lots"),
    {
      name: "kind",
      type: "string",
      title: "Kind",
      description: "Critical tracking event.",
      constraints: {
        required: true,
        enum: [
          "PLANTING",
          "INPUT_APPLICATION",
          "HARVESTING",
          "PROCESSING",
          "PACKING",
          "STORING",
          "SHIPPING",
          "RECEIVING",
          "INSPECTING",
          "OTHER",
        ],
      },
    },
    {
      name: "occurred_at",
      type: "datetime",
      title: "Occurred at",
      description: "When it happened (UTC).",
      constraints: { required: true },
    },
    { name: "place", type: "string", title: "Place", description: "Where, as the producer wrote it." },
    {
      name: "kdes",
      type: "string",
      format: "json",
      title: "Key data elements",
      description: "The event's key data elements shown on the trace page, as a JSON object (variety, dose, quantity, …).",
      constraints: { required: true },
    },
    {
      name: "phi_flag",
      type: "boolean",
      title: "Pre-harvest interval flag",
      description: "Harvested before an input's pre-harvest interval had passed.",
      constraints: { required: true },
    },
    { name: "corrects_id", type: "string", title: "Corrects", description: "The event this one corrects (events are never edited)." },
  ]),
  inspections: schema([
    id("inspection"),
    ref("lot_id", "lot", "lots"),
    {
      name: "result",
      type: "string",
      title: "Result",
      description: "The inspector's verdict.",
      constraints: { required: true, enum: ["PASS", "FAIL", "CONDITIONAL"] },
    },
    { name: "inspected_at", type: "datetime", title: "Inspected at", description: "When (UTC).", constraints: { required: true } },
    {
      name: "lab_results",
      type: "string",
      format: "json",
      title: "Lab results",
      description: "JSON array of { analyte, value, limit, unit }.",
      constraints: { required: true },
    },
    { name: "condition", type: "string", title: "Condition", description: "For a CONDITIONAL result: what must happen." },
    { name: "condition_due", type: "datetime", title: "Condition due", description: "By when (UTC)." },
    {
      name: "signature",
      type: "string",
      title: "Signature",
      description: "Ed25519 signature of the inspection record (base64), as stored with it.",
    },
    { name: "signing_key_id", type: "string", title: "Signing key id", description: "The id of the key that signed it." },
  ]),
  recalls: schema([
    id("recall"),
    ref("lot_id", "lot", "lots"),
    { name: "reason", type: "string", title: "Reason", description: "Why the lot is recalled.", constraints: { required: true } },
    {
      name: "severity",
      type: "integer",
      title: "Recall class",
      description: "Recall class 1, 2 or 3, as the inspector chose it.",
      constraints: { required: true, minimum: 1 },
    },
    { name: "instructions", type: "string", title: "Instructions", description: "What buyers should do.", constraints: { required: true } },
    {
      name: "status",
      type: "string",
      title: "Status",
      description: "OPEN or CLOSED.",
      constraints: { required: true, enum: ["OPEN", "CLOSED"] },
    },
    {
      name: "recalled_at",
      type: "datetime",
      title: "Recalled at",
      description: "When the recall was opened (UTC).",
      constraints: { required: true },
    },
    { name: "closed_at", type: "datetime", title: "Closed at", description: "When it was closed (UTC)." },
  ]),
  "scan-statistics": schema(
    [
      { name: "day", type: "date", title: "Day", description: "Calendar day in Vietnam time (UTC+7).", constraints: { required: true } },
      {
        name: "province_code",
        type: "string",
        title: "Province code",
        description: "Province of the producer whose codes were scanned (not where the scanner stood).",
        constraints: { required: true },
      },
      {
        name: "scans",
        type: "integer",
        title: "Scans",
        description: `Trace pages opened that day from printed codes of the province's producers; empty when fewer than ${SUPPRESS_BELOW} (suppressed).`,
        constraints: { minimum: SUPPRESS_BELOW },
      },
      {
        name: "suppressed",
        type: "boolean",
        title: "Suppressed",
        description: `True when the count was below ${SUPPRESS_BELOW} and is left out.`,
        constraints: { required: true },
      },
    ],
    ["day", "province_code"],
  ),
};

/** File names and URLs: /du-lieu-mo/{dataset}/{YYYY-MM-DD}.csv.gz (the catalog links to them). */
export const snapshotFilePath = (dataset: DatasetId, day: string) => `${dataset}/${day}.csv.gz`;

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDay(v: string): boolean {
  if (!DAY_PATTERN.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
