// OpenAPI 3.1 description of the open-data API. Schemas are JSON Schema 2020-12, so
// the contract tests validate real responses against exactly these definitions.

const str = { type: "string" } as const;
const nstr = { type: ["string", "null"] } as const;
const int = { type: "integer" } as const;
const dateTime = { type: "string", format: "date-time" } as const;
const nDateTime = { type: ["string", "null"], format: "date-time" } as const;

const ocop = {
  type: ["object", "null"],
  required: ["stars", "level", "decisionNumber", "validUntil"],
  properties: { stars: { type: "integer", minimum: 3, maximum: 5 }, level: { enum: ["PROVINCE", "CENTRAL"] }, decisionNumber: str, validUntil: dateTime },
  additionalProperties: false,
};

export const schemas = {
  Error: { type: "object", required: ["error"], properties: { error: str }, additionalProperties: false },
  Trace: {
    type: "object",
    required: ["code", "kind", "serial", "status", "product", "producer", "batch", "events", "recall", "lastInspection", "ledgerIntact", "scans"],
    additionalProperties: false,
    properties: {
      code: { type: "string", pattern: "^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{18}$" },
      kind: { enum: ["BATCH", "UNIT"] },
      serial: nstr,
      status: { enum: ["ISSUED", "ACTIVE", "VOID"] },
      product: {
        type: "object",
        required: ["name", "ocopGroup", "unit", "gtin", "description", "ocop"],
        additionalProperties: false,
        properties: { name: str, ocopGroup: { type: "integer", minimum: 1, maximum: 6 }, unit: str, gtin: { type: ["string", "null"], pattern: "^\\d{14}$" }, description: str, ocop },
      },
      producer: { type: "object", required: ["name", "type", "ward", "province"], additionalProperties: false, properties: { name: str, type: { enum: ["HOUSEHOLD", "COOPERATIVE", "COOP_GROUP", "ENTERPRISE"] }, ward: str, province: str } },
      batch: {
        type: "object",
        required: ["id", "lotCode", "producedAt", "expiresAt", "quantity", "status", "productionArea"],
        additionalProperties: false,
        properties: { id: str, lotCode: str, producedAt: dateTime, expiresAt: nDateTime, quantity: int, status: { enum: ["ACTIVE", "ON_HOLD", "RECALLED", "DEPLETED"] }, productionArea: nstr },
      },
      events: {
        type: "array",
        items: {
          type: "object",
          required: ["id", "kind", "occurredAt", "place", "data", "correctsId", "correctedById", "preHarvestIntervalFlag"],
          additionalProperties: false,
          properties: { id: str, kind: str, occurredAt: dateTime, place: nstr, data: { type: "object" }, correctsId: nstr, correctedById: nstr, preHarvestIntervalFlag: { type: "boolean" } },
        },
      },
      recall: { type: ["object", "null"], required: ["reason", "instructions", "since"], properties: { reason: str, instructions: str, since: dateTime }, additionalProperties: false },
      lastInspection: { type: ["object", "null"], required: ["result", "inspectedAt"], properties: { result: { enum: ["PASS", "FAIL", "CONDITIONAL"] }, inspectedAt: dateTime }, additionalProperties: false },
      ledgerIntact: { type: ["boolean", "null"] },
      scans: { type: "object", required: ["count", "firstScannedAt"], additionalProperties: false, properties: { count: { type: "integer", minimum: 0 }, firstScannedAt: nDateTime } },
    },
  },
  Product: {
    type: "object",
    required: ["id", "name", "ocopGroup", "unit", "priceVnd", "gtin", "description", "ocop", "producer"],
    additionalProperties: false,
    properties: {
      id: str,
      name: str,
      ocopGroup: { type: "integer", minimum: 1, maximum: 6 },
      unit: str,
      priceVnd: { type: "integer", minimum: 0, description: "whole đồng" },
      gtin: { type: ["string", "null"], pattern: "^\\d{14}$" },
      description: str,
      ocop,
      producer: { type: "object", required: ["name", "type", "ward", "province", "provinceCode"], additionalProperties: false, properties: { name: str, type: str, ward: str, province: str, provinceCode: { type: "string", pattern: "^\\d{2}$" } } },
    },
  },
  ProductPage: {
    type: "object",
    required: ["items", "page", "pageSize", "total"],
    additionalProperties: false,
    properties: { items: { type: "array", items: { $ref: "#/components/schemas/Product" } }, page: { type: "integer", minimum: 1 }, pageSize: { type: "integer", minimum: 1, maximum: 100 }, total: { type: "integer", minimum: 0 } },
  },
  EpcisDocument: {
    type: "object",
    description: "EPCIS 2.0 JSON-LD document (GS1); full schema: https://ref.gs1.org/standards/epcis/2.0.0/",
    required: ["@context", "type", "schemaVersion", "creationDate", "epcisBody"],
    properties: { "@context": {}, type: { const: "EPCISDocument" }, schemaVersion: { const: "2.0" }, creationDate: dateTime, epcisBody: { type: "object", required: ["eventList"], properties: { eventList: { type: "array" } } } },
  },
} as const;

const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
const notFound = { description: "Not found", content: json("Error") };

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: { title: "ocop-trace open data API", version: "1.0.0", description: "Public, read-only traceability data of OCOP products. CORS is open for GET. Reading a trace here does not count as a scan." },
    servers: [{ url: serverUrl }],
    paths: {
      "/api/v1/trace/{code}": {
        get: { summary: "Everything the trace page shows, as JSON", parameters: [{ name: "code", in: "path", required: true, schema: str }], responses: { "200": { description: "The trace", content: json("Trace") }, "404": notFound } },
      },
      "/api/v1/products": {
        get: {
          summary: "Listed OCOP products of approved producers",
          parameters: [
            { name: "province", in: "query", schema: { type: "string", pattern: "^\\d{2}$" }, description: "2-digit province code (since 1 July 2025)" },
            { name: "group", in: "query", schema: { type: "integer", minimum: 1, maximum: 6 }, description: "OCOP product group" },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
            { name: "pageSize", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
          ],
          responses: { "200": { description: "A page of products", content: json("ProductPage") }, "400": { description: "Bad query", content: json("Error") } },
        },
      },
      "/api/v1/products/{id}": { get: { summary: "One product", parameters: [{ name: "id", in: "path", required: true, schema: str }], responses: { "200": { description: "The product", content: json("Product") }, "404": notFound } } },
      "/api/v1/batches/{id}/epcis": {
        get: {
          summary: "The batch's events as an EPCIS 2.0 document",
          parameters: [{ name: "id", in: "path", required: true, schema: str }],
          responses: { "200": { description: "EPCIS 2.0 JSON-LD", content: { "application/ld+json": { schema: { $ref: "#/components/schemas/EpcisDocument" } } } }, "404": notFound },
        },
      },
    },
    components: { schemas },
  };
}
