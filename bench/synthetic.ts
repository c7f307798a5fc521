// What the database benches share before their lots: the empty database they fill, the bench's
// user, its producers and products, and the kinds of a lot's trace events. Each bench keeps its own names, counts and
// groups (so its numbers stay comparable with its earlier runs); what is shared is what the
// rows hold alike and the columns they are COPYed into.
import type pg from "pg";
import type { ProducerType, TraceEventKind } from "@prisma/client";
import { prepareDatabase } from "../scripts/database.mjs";
import { connect, copy, Rows } from "./pg-copy";

/** The database behind `url`, migrated, on a new connection; refused when it already holds batches (a bench fills an empty one). */
export async function openEmptyDatabase(url: string, log: (message: string) => void): Promise<pg.Client> {
  await prepareDatabase({ ...process.env, DATABASE_URL: url }, log);
  const db = await connect(url);
  try {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Batch"`);
    if (rows[0]!.n > 0) throw new Error(`the database already holds ${rows[0]!.n} batches: give an empty one`);
    return db;
  } catch (e) {
    await db.end();
    throw e;
  }
}

/** A lot's life, in order. */
const LIFE = [
  "PLANTING",
  "INPUT_APPLICATION",
  "HARVESTING",
  "PROCESSING",
  "PACKING",
  "STORING",
  "SHIPPING",
  "RECEIVING",
] as const satisfies readonly TraceEventKind[];

/** Ten events a lot: its life, then stored again and shipped on (bench/export, bench/open-data). */
export const KINDS_RESHIPPED: readonly TraceEventKind[] = [...LIFE, "STORING", "SHIPPING"];
/** Nine events a lot: its life with two input applications (bench/log). */
export const KINDS_TWO_INPUTS: readonly TraceEventKind[] = [LIFE[0], LIFE[1], ...LIFE.slice(1)];
/** Ten events a lot: the nine, then stored (bench/trace, bench/cluster). */
export const KINDS_TWO_INPUTS_STORED: readonly TraceEventKind[] = [...KINDS_TWO_INPUTS, "STORING"];

/** The bench's one user, who records, issues and inspects (`at`: createdAt and updatedAt, pg-copy `ts`). */
export async function copyUser(db: pg.Client, user: { id: string; phone?: string }, at: string): Promise<number> {
  const rows = new Rows();
  rows.add(user.id, "Bench", user.phone ?? null, "x", "vi", at, at);
  return copy(db, "User", ["id", "name", "phone", "passwordHash", "locale", "createdAt", "updatedAt"], rows);
}

export type SyntheticProducer = { id: string; type: ProducerType; name: string; provinceCode: string };

/** Approved producers, all at the same street and ward (address data 1.1). */
export async function copyProducers(db: pg.Client, producers: Iterable<SyntheticProducer>, at: string): Promise<number> {
  const rows = new Rows();
  for (const p of producers) rows.add(p.id, p.type, p.name, "Thôn 1", "05503", p.provinceCode, "1.1", "APPROVED", at, at);
  return copy(
    db,
    "Producer",
    ["id", "type", "name", "street", "wardCode", "provinceCode", "addressDataVersion", "status", "createdAt", "updatedAt"],
    rows,
  );
}

export type SyntheticProduct = {
  id: string;
  producerId: string;
  name: string;
  ocopGroup: number;
  description: string;
  gtin?: string | null;
};

/** Listed products sold by the kg at 100,000 VND. */
export async function copyProducts(db: pg.Client, products: Iterable<SyntheticProduct>, at: string): Promise<number> {
  const rows = new Rows();
  for (const p of products)
    rows.add(p.id, p.producerId, p.name, p.ocopGroup, "kg", 100000, p.description, p.gtin ?? null, "LISTED", at, at);
  return copy(
    db,
    "Product",
    ["id", "producerId", "name", "ocopGroup", "unit", "priceVnd", "description", "gtin", "listingStatus", "createdAt", "updatedAt"],
    rows,
  );
}

/** `count` rows made by `row` from their index 0…count-1. */
export const times = <T>(count: number, row: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => row(i));
