// OpenAPI 3.1 description of the open-data API. Schemas are JSON Schema 2020-12, so
// the contract tests validate real responses against exactly these definitions.
// Enumerations are the schema's own, from the generated client.
import { BatchStatus, CertificateLevel, InspectionResult, ProducerType, TraceCodeKind, TraceCodeStatus } from "@prisma/client";
import { DATASET_IDS, DATASETS, type DatasetId } from "~/domain/open-data/datasets";
import { SNAPSHOT_SCHEMAS, type TableField } from "~/domain/open-data/snapshot-columns";

const str = { type: "string" } as const;
const nstr = { type: ["string", "null"] } as const;
const int = { type: "integer" } as const;
const dateTime = { type: "string", format: "date-time" } as const;
const nDateTime = { type: ["string", "null"], format: "date-time" } as const;

const ocop = {
  type: ["object", "null"],
  description:
    "The OCOP certificate an OCOP officer of the issuing office verified (ADR 016), in date and not revoked; null otherwise. A certificate a producer declared and nobody verified yet is never here.",
  required: ["stars", "level", "decisionNumber", "validUntil"],
  properties: {
    stars: { type: "integer", minimum: 3, maximum: 5 },
    level: { enum: Object.values(CertificateLevel) },
    decisionNumber: str,
    validUntil: dateTime,
  },
  additionalProperties: false,
};

/** A JSON Schema for one Table Schema field, as the API types it (api-rows.server.ts). */
function fieldJsonSchema(f: TableField): object {
  const required = f.constraints?.required === true;
  const nullable = (types: string[]) => (required ? types : [...types, "null"]);
  const description = f.description;
  if (f.constraints?.enum) return { enum: required ? f.constraints.enum : [...f.constraints.enum, null], description };
  if (f.format === "json") return { type: nullable(["object", "array"]), description };
  const minimum = f.constraints?.minimum;
  if (f.type === "integer") return { type: nullable(["integer"]), ...(minimum !== undefined ? { minimum } : {}), description };
  if (f.type === "boolean") return { type: nullable(["boolean"]), description };
  const format = f.type === "date" ? "date" : f.type === "datetime" ? "date-time" : undefined;
  return { type: nullable(["string"]), ...(format ? { format } : {}), description };
}

/** The row of each open dataset: the columns of its daily CSV snapshot, by the same Table Schema. */
export const OPEN_DATA_ROW_SCHEMAS = Object.fromEntries(
  DATASET_IDS.map((id) => {
    const fields = SNAPSHOT_SCHEMAS[id].fields;
    return [
      id,
      {
        type: "object",
        required: fields.map((f) => f.name),
        additionalProperties: false,
        properties: Object.fromEntries(fields.map((f) => [f.name, fieldJsonSchema(f)])),
      },
    ];
  }),
) as Record<DatasetId, object>;

const schemaName = (id: DatasetId) => `OpenData${id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase())}`;

function openDataSchemas() {
  const out: Record<string, object> = {};
  for (const id of DATASET_IDS) {
    out[schemaName(id)] = OPEN_DATA_ROW_SCHEMAS[id];
    out[`${schemaName(id)}Page`] = {
      type: "object",
      required: ["dataset", "items", "next"],
      additionalProperties: false,
      properties: {
        dataset: { const: id },
        items: { type: "array", items: { $ref: `#/components/schemas/${schemaName(id)}` } },
        next: { type: ["string", "null"], format: "uri", description: "the next page; null on the last" },
      },
    };
  }
  return out;
}

export const schemas = {
  Error: { type: "object", required: ["error"], properties: { error: str }, additionalProperties: false },
  Trace: {
    type: "object",
    required: [
      "code",
      "kind",
      "serial",
      "status",
      "product",
      "producer",
      "batch",
      "events",
      "recall",
      "lastInspection",
      "ledgerIntact",
      "log",
      "scans",
    ],
    additionalProperties: false,
    properties: {
      code: { type: "string", pattern: "^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{18}$" },
      kind: { enum: Object.values(TraceCodeKind) },
      serial: nstr,
      status: { enum: Object.values(TraceCodeStatus) },
      product: {
        type: "object",
        required: ["name", "ocopGroup", "unit", "gtin", "description", "ocop"],
        additionalProperties: false,
        properties: {
          name: str,
          ocopGroup: { type: "integer", minimum: 1, maximum: 6 },
          unit: str,
          gtin: { type: ["string", "null"], pattern: "^\\d{14}$" },
          description: str,
          ocop,
        },
      },
      producer: {
        type: "object",
        required: ["name", "type", "ward", "province"],
        additionalProperties: false,
        properties: { name: str, type: { enum: Object.values(ProducerType) }, ward: str, province: str },
      },
      batch: {
        type: "object",
        required: ["id", "lotCode", "producedAt", "expiresAt", "quantity", "status", "productionArea"],
        additionalProperties: false,
        properties: {
          id: str,
          lotCode: str,
          producedAt: dateTime,
          expiresAt: nDateTime,
          quantity: int,
          status: { enum: Object.values(BatchStatus) },
          productionArea: nstr,
        },
      },
      events: {
        type: "array",
        items: {
          type: "object",
          required: ["logIndex", "id", "kind", "occurredAt", "place", "data", "correctsId", "correctedById", "preHarvestIntervalFlag"],
          additionalProperties: false,
          properties: {
            logIndex: { type: ["integer", "null"], minimum: 0, description: "its leaf's index in the public log; null while being added" },
            id: str,
            kind: str,
            occurredAt: dateTime,
            place: nstr,
            data: { type: "object" },
            correctsId: nstr,
            correctedById: nstr,
            preHarvestIntervalFlag: { type: "boolean" },
          },
        },
      },
      recall: {
        type: ["object", "null"],
        required: ["reason", "instructions", "since"],
        properties: { reason: str, instructions: str, since: dateTime },
        additionalProperties: false,
      },
      lastInspection: {
        type: ["object", "null"],
        required: ["result", "inspectedAt"],
        properties: { result: { enum: Object.values(InspectionResult) }, inspectedAt: dateTime },
        additionalProperties: false,
      },
      ledgerIntact: {
        type: ["boolean", "null"],
        description: "the batch's records match their leaves in the public log, and those are in its signed tree",
      },
      log: {
        type: "object",
        required: ["intact", "checkpointSize", "pending", "entries", "checkpoint"],
        additionalProperties: false,
        properties: {
          intact: { type: "boolean" },
          checkpointSize: { type: ["integer", "null"] },
          pending: { type: "integer", minimum: 0 },
          entries: str,
          checkpoint: str,
        },
      },
      scans: {
        type: "object",
        required: ["count", "firstScannedAt"],
        additionalProperties: false,
        properties: { count: { type: "integer", minimum: 0 }, firstScannedAt: nDateTime },
      },
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
      producer: {
        type: "object",
        required: ["name", "type", "ward", "province", "provinceCode"],
        additionalProperties: false,
        properties: { name: str, type: str, ward: str, province: str, provinceCode: { type: "string", pattern: "^\\d{2}$" } },
      },
    },
  },
  ProductPage: {
    type: "object",
    required: ["items", "page", "pageSize", "total"],
    additionalProperties: false,
    properties: {
      items: { type: "array", items: { $ref: "#/components/schemas/Product" } },
      page: { type: "integer", minimum: 1 },
      pageSize: { type: "integer", minimum: 1, maximum: 100 },
      total: { type: "integer", minimum: 0 },
    },
  },
  BatchLog: {
    type: "object",
    description:
      "A batch's leaves in the public log (RFC 6962) with their inclusion proofs against one signed checkpoint (C2SP tlog-checkpoint)",
    required: ["batchId", "checkpoint", "size", "rootHash", "leaves", "pending", "verdict"],
    additionalProperties: false,
    properties: {
      batchId: str,
      checkpoint: { type: ["string", "null"], description: "the signed note the proofs are against" },
      size: { type: "integer", minimum: 0 },
      rootHash: { type: ["string", "null"], description: "base64" },
      leaves: {
        type: "array",
        items: {
          type: "object",
          required: ["index", "type", "recordId", "leaf", "leafHash", "inclusionProof"],
          additionalProperties: false,
          properties: {
            index: { type: "integer", minimum: 0 },
            type: str,
            recordId: str,
            leaf: { type: "string", description: "the leaf bytes (UTF-8 RFC 8785 JSON), exactly as hashed" },
            leafHash: str,
            inclusionProof: { type: "array", items: str },
          },
        },
      },
      pending: {
        type: "array",
        items: { type: "object", required: ["type", "recordId"], additionalProperties: false, properties: { type: str, recordId: str } },
      },
      verdict: {
        type: "object",
        required: ["ok", "problems"],
        additionalProperties: false,
        properties: {
          ok: { type: "boolean" },
          problems: {
            type: "array",
            items: {
              type: "object",
              required: ["type", "recordId", "index", "problem"],
              additionalProperties: false,
              properties: { type: str, recordId: str, index: { type: ["integer", "null"] }, problem: str },
            },
          },
        },
      },
    },
  },
  Proof: {
    type: "object",
    required: ["hashes"],
    additionalProperties: false,
    properties: { hashes: { type: "array", items: { type: "string", description: "base64 SHA-256" } } },
  },
  EpcisDocument: {
    type: "object",
    description: "EPCIS 2.0 JSON-LD document (GS1); full schema: https://ref.gs1.org/standards/epcis/2.0.0/",
    required: ["@context", "type", "schemaVersion", "creationDate", "epcisBody"],
    properties: {
      "@context": {},
      type: { const: "EPCISDocument" },
      schemaVersion: { const: "2.0" },
      creationDate: dateTime,
      epcisBody: { type: "object", required: ["eventList"], properties: { eventList: { type: "array" } } },
    },
  },
  ...openDataSchemas(),
} as const;

const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
const notFound = { description: "Not found", content: json("Error") };

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "ocop-trace open data API",
      version: "1.0.0",
      description:
        "Public, read-only traceability data of OCOP products. CORS is open for GET. Reading a trace here does not count as a scan.",
    },
    servers: [{ url: serverUrl }],
    paths: {
      "/api/v1/trace/{code}": {
        get: {
          summary: "Everything the trace page shows, as JSON",
          parameters: [{ name: "code", in: "path", required: true, schema: str }],
          responses: { "200": { description: "The trace", content: json("Trace") }, "404": notFound },
        },
      },
      "/api/v1/products": {
        get: {
          summary: "Listed OCOP products of approved producers",
          parameters: [
            {
              name: "province",
              in: "query",
              schema: { type: "string", pattern: "^\\d{2}$" },
              description: "2-digit province code (since 1 July 2025)",
            },
            { name: "group", in: "query", schema: { type: "integer", minimum: 1, maximum: 6 }, description: "OCOP product group" },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
            { name: "pageSize", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
          ],
          responses: {
            "200": { description: "A page of products", content: json("ProductPage") },
            "400": { description: "Bad query", content: json("Error") },
          },
        },
      },
      "/api/v1/products/{id}": {
        get: {
          summary: "One product",
          parameters: [{ name: "id", in: "path", required: true, schema: str }],
          responses: { "200": { description: "The product", content: json("Product") }, "404": notFound },
        },
      },
      "/api/v1/batches/{id}/epcis": {
        get: {
          summary: "The batch's events as an EPCIS 2.0 document",
          parameters: [{ name: "id", in: "path", required: true, schema: str }],
          responses: {
            "200": {
              description: "EPCIS 2.0 JSON-LD",
              content: { "application/ld+json": { schema: { $ref: "#/components/schemas/EpcisDocument" } } },
            },
            "404": notFound,
          },
        },
      },
      ...logPaths(),
      ...openDataPaths(),
    },
    components: { schemas },
  };
}

const text = (description: string) => ({ description, content: { "text/plain": { schema: str } } });
const bad = { description: "Bad query", content: json("Error") };

/** The public log's endpoints (ADR 011): plain text and JSON in the C2SP / RFC 6962 formats. */
function logPaths() {
  return {
    "/api/v1/batches/{id}/log": {
      get: {
        summary: "The batch's leaves in the public log, with inclusion proofs against the latest checkpoint",
        parameters: [{ name: "id", in: "path", required: true, schema: str }],
        responses: { "200": { description: "Leaves and proofs", content: json("BatchLog") }, "404": notFound },
      },
    },
    "/log/key": {
      get: {
        summary: "The log's current verifier key (C2SP signed-note vkey: name+keyhash+base64(0x01 ‖ Ed25519 key))",
        responses: { "200": text("One line") },
      },
    },
    "/log/keys": { get: { summary: "Every verifier key the log has used, current first", responses: { "200": text("One key per line") } } },
    "/log/checkpoint": {
      get: {
        summary: "The latest signed checkpoint (C2SP tlog-checkpoint), with witness cosignatures (tlog-cosignature v1)",
        responses: { "200": text("A signed note"), "404": text("The log is empty") },
      },
    },
    "/log/checkpoints/{size}": {
      get: {
        summary: "An earlier checkpoint of exactly this size",
        parameters: [{ name: "size", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
        responses: { "200": text("A signed note"), "404": text("No checkpoint of that size") },
      },
    },
    "/log/entries/{index}": {
      get: {
        summary: "One leaf, exactly the bytes that are hashed",
        parameters: [{ name: "index", in: "path", required: true, schema: { type: "integer", minimum: 0 } }],
        responses: {
          "200": { description: "RFC 8785 JSON", content: { "application/json": { schema: { type: "object" } } } },
          "400": bad,
          "404": notFound,
        },
      },
    },
    "/log/proof/inclusion": {
      get: {
        summary: "RFC 6962 audit path of leaf `index` in the tree of size `size`",
        parameters: [
          { name: "index", in: "query", required: true, schema: { type: "integer", minimum: 0 } },
          { name: "size", in: "query", required: true, schema: { type: "integer", minimum: 1 } },
        ],
        responses: { "200": { description: "Proof", content: json("Proof") }, "400": bad },
      },
    },
    "/log/proof/consistency": {
      get: {
        summary: "RFC 6962 consistency proof between the trees of sizes `from` and `to`",
        parameters: [
          { name: "from", in: "query", required: true, schema: { type: "integer", minimum: 1 } },
          { name: "to", in: "query", required: true, schema: { type: "integer", minimum: 1 } },
        ],
        responses: { "200": { description: "Proof", content: json("Proof") }, "400": bad },
      },
    },
    "/log/cosignature": {
      post: {
        summary: "A known witness sends its cosignature on a checkpoint (the cosigned note, text/plain)",
        requestBody: { required: true, content: { "text/plain": { schema: str } } },
        responses: {
          "200": { description: "Accepted" },
          "400": bad,
          "403": { description: "No line from a known witness verifies" },
          "404": { description: "Not a checkpoint of this log" },
          "429": { description: "Too many requests" },
        },
      },
    },
  };
}

/** One path per open dataset, each with its row schema (cursor pagination, ADR on open data). */
function openDataPaths() {
  const paths: Record<string, object> = {};
  for (const id of DATASET_IDS) {
    paths[`/api/v1/open-data/${id}`] = {
      get: {
        summary: `Open data: ${DATASETS[id].title.en}`,
        description: `${DATASETS[id].description.en} Licence CC BY 4.0. Pages in a stable order; follow \`next\` until it is null.`,
        parameters: [
          { name: "cursor", in: "query", schema: str, description: "opaque: the `next` link of the previous page carries it" },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
        ],
        responses: {
          "200": { description: "A page of rows", content: json(`${schemaName(id)}Page`) },
          "400": { description: "Bad query or cursor", content: json("Error") },
          "429": { description: "Too many requests (per client address)" },
        },
      },
    };
  }
  return paths;
}
