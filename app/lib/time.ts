// Vietnam has one time zone, UTC+7, and no daylight saving: form times are read as Vietnam time.
export const VN_OFFSET_MS = 7 * 3600 * 1000;

/** "2026-11-02T07:30" (datetime-local, Vietnam time) → Date, or null. */
export function parseVnDateTime(v: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(v);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return new Date(utc - VN_OFFSET_MS);
}

/** Date → "2026-11-02T07:30" in Vietnam time, for a datetime-local default. */
export function toVnDateTimeInput(date: Date): string {
  return new Date(date.getTime() + VN_OFFSET_MS).toISOString().slice(0, 16);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 24 * 3600 * 1000);
}

export function addMonths(date: Date, months: number): Date {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/**
 * Date → "2026-11-22T06:00:00+07:00": the moment in Vietnam time with its offset, as exports
 * show it (not "2026-11-21T23:00:00.000Z" of the day before). Milliseconds only when there are
 * some. The same instant as toISOString(), and with one offset throughout, it sorts as text.
 */
export function toVnIso(date: Date): string {
  const local = new Date(date.getTime() + VN_OFFSET_MS).toISOString(); // "…T06:00:00.000Z"
  const ms = local.slice(19, 23);
  return `${local.slice(0, 19)}${ms === ".000" ? "" : ms}+07:00`;
}

/** A calendar date kept as UTC midnight (a form's YYYY-MM-DD: production, expiry) → "2026-10-01". */
export function toIsoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** "2026-11-22" → 00:00 of that day in Vietnam (a date range typed by a person means Vietnam days). */
export function vnDayStart(day: Date | string): Date {
  const iso = typeof day === "string" ? day : toIsoDay(day);
  return new Date(Date.parse(`${iso}T00:00:00Z`) - VN_OFFSET_MS);
}
