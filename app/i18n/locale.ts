export const LOCALES = ["vi", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "vi";

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

export const intlLocale: Record<Locale, string> = { vi: "vi-VN", en: "en-GB" };
const TIME_ZONE = "Asia/Ho_Chi_Minh";

// Intl formatters are costly to build (they load locale data); one of each per locale.
function perLocale<F>(make: (tag: string) => F): (locale: Locale) => F {
  const made = new Map<Locale, F>();
  return (locale) => {
    let f = made.get(locale);
    if (!f) made.set(locale, (f = make(intlLocale[locale])));
    return f;
  };
}
const vndFormat = perLocale((tag) => new Intl.NumberFormat(tag, { style: "currency", currency: "VND", maximumFractionDigits: 0 }));
// Up to 6 decimals: lab values (0,0005 mg/kg) must not be rounded away.
const numberFormat = perLocale((tag) => new Intl.NumberFormat(tag, { maximumFractionDigits: 6 }));
const dateFormat = perLocale((tag) => new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeZone: TIME_ZONE }));
const monthFormat = perLocale((tag) => new Intl.DateTimeFormat(tag, { year: "numeric", month: "short", timeZone: "UTC" }));
const dateTimeFormat = perLocale((tag) => new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone: TIME_ZONE }));

/** Whole đồng: "150.000 ₫" in Vietnamese, "₫150,000" in English. */
export function formatVnd(locale: Locale, amount: number): string {
  return vndFormat(locale).format(amount);
}

export function formatNumber(locale: Locale, n: number): string {
  return numberFormat(locale).format(n);
}

export function formatDate(locale: Locale, date: Date | string): string {
  return dateFormat(locale).format(new Date(date));
}

/** A month as "2026-11" (the dashboard's buckets, already in Vietnam time) → "thg 11, 2026" / "Nov 2026". */
export function formatMonth(locale: Locale, month: string): string {
  return monthFormat(locale).format(new Date(`${month}-01T00:00:00Z`));
}

export function formatDateTime(locale: Locale, date: Date | string): string {
  return dateTimeFormat(locale).format(new Date(date));
}
