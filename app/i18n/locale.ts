export const LOCALES = ["vi", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "vi";

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

const intlLocale: Record<Locale, string> = { vi: "vi-VN", en: "en-GB" };
const TIME_ZONE = "Asia/Ho_Chi_Minh";

/** Whole đồng: "150.000 ₫" in Vietnamese, "₫150,000" in English. */
export function formatVnd(locale: Locale, amount: number): string {
  return new Intl.NumberFormat(intlLocale[locale], { style: "currency", currency: "VND", maximumFractionDigits: 0 }).format(amount);
}

export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(intlLocale[locale]).format(n);
}

export function formatDate(locale: Locale, date: Date | string): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: "medium", timeZone: TIME_ZONE }).format(new Date(date));
}

export function formatDateTime(locale: Locale, date: Date | string): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: "medium", timeStyle: "short", timeZone: TIME_ZONE }).format(new Date(date));
}
