// Opaque list cursors for the open-data API: base64url of a small JSON that names the
// dataset and the keyset position after the last row given. A reader treats it as a token;
// the server checks it with zod, so a forged or foreign cursor is a 400, never a query.
import { z } from "zod";
import type { DatasetId } from "./datasets";

/** Keyset position: the last row's id, or (day, province) for the daily scan statistics. */
export type CursorKey = { id: string } | { day: string; province: string };

const keySchema = z.union([
  z.object({ id: z.string().min(1).max(64) }).strict(),
  z
    .object({
      day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      province: z.string().regex(/^\d{2}$/),
    })
    .strict(),
]);
const cursorSchema = z.object({ d: z.string(), k: keySchema }).strict();

export function encodeCursor(dataset: DatasetId, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ d: dataset, k: key }), "utf8").toString("base64url");
}

/** The key in a cursor made for this dataset, or null when it is not one. */
export function decodeCursor(dataset: DatasetId, cursor: string): CursorKey | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = cursorSchema.safeParse(raw);
  if (!parsed.success || parsed.data.d !== dataset) return null;
  // The scan statistics are keyed by day and province, every other dataset by id.
  const byDay = "day" in parsed.data.k;
  return byDay === (dataset === "scan-statistics") ? parsed.data.k : null;
}
