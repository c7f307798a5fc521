import { parse } from "csv-parse/sync";

// A compact validator of the Frictionless Table Schema subset the open-data snapshots use
// (the JS `tableschema`/`datapackage` packages are unmaintained; ADR on open-data snapshots):
// header equals the field names in order; per cell: missingValues, required, type (string,
// integer, boolean, date, datetime, string/json), enum, minimum; primaryKey unique and not
// missing. CSV is read by csv-parse (not by the writer's library), RFC 4180 quoting.

type Field = {
  name: string;
  type: string;
  format?: string;
  constraints?: { required?: boolean; enum?: string[]; minimum?: number };
};
export type Schema = { fields: Field[]; primaryKey: string[]; missingValues?: string[] };

const TRUE = new Set(["true", "True", "TRUE", "1"]);
const FALSE = new Set(["false", "False", "FALSE", "0"]);

function castError(field: Field, raw: string): string | null {
  switch (field.type) {
    case "string":
      if (field.format === "json") {
        try {
          const v: unknown = JSON.parse(raw);
          return typeof v === "object" && v !== null ? null : "not a JSON object or array";
        } catch {
          return "not JSON";
        }
      }
      return null;
    case "integer":
      if (!/^[+-]?\d+$/.test(raw)) return "not an integer";
      if (field.constraints?.minimum !== undefined && Number(raw) < field.constraints.minimum) return `below ${field.constraints.minimum}`;
      return null;
    case "boolean":
      return TRUE.has(raw) || FALSE.has(raw) ? null : "not a boolean";
    case "date": {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return "not a date";
      const d = new Date(`${raw}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === raw ? null : "not a calendar date";
    }
    case "datetime": {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(raw)) return "not a datetime (YYYY-MM-DDThh:mm:ssZ)";
      return Number.isNaN(Date.parse(raw)) ? "not a real datetime" : null;
    }
    default:
      return `type ${field.type} is outside the validated subset`;
  }
}

/** Every error found (empty when the CSV conforms), and the rows read as records. */
export function validateCsv(csv: string, schema: Schema): { errors: string[]; rows: Record<string, string>[] } {
  const errors: string[] = [];
  const missing = new Set(schema.missingValues ?? [""]);
  const records: string[][] = parse(csv, { relax_column_count: true });
  const [header = [], ...body] = records;
  const names = schema.fields.map((f) => f.name);
  if (header.join(",") !== names.join(",")) errors.push(`header ${header.join(",")} is not ${names.join(",")}`);
  const keys = new Set<string>();
  const rows: Record<string, string>[] = [];
  body.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length !== names.length) errors.push(`row ${line}: ${cells.length} cells, expected ${names.length}`);
    const row: Record<string, string> = {};
    schema.fields.forEach((field, j) => {
      const raw = cells[j] ?? "";
      row[field.name] = raw;
      if (missing.has(raw)) {
        if (field.constraints?.required || schema.primaryKey.includes(field.name)) errors.push(`row ${line}: ${field.name} is required`);
        return;
      }
      const bad = castError(field, raw);
      if (bad) errors.push(`row ${line}: ${field.name} "${raw.slice(0, 40)}" ${bad}`);
      if (field.constraints?.enum && !field.constraints.enum.includes(raw)) errors.push(`row ${line}: ${field.name} "${raw}" not in enum`);
    });
    const key = JSON.stringify(schema.primaryKey.map((k) => row[k]));
    if (keys.has(key)) errors.push(`row ${line}: primary key ${key} repeated`);
    keys.add(key);
    rows.push(row);
  });
  return { errors, rows };
}
