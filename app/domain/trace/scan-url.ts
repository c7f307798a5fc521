import { isValidGtin } from "~/domain/catalog/gtin";
import { CODE_PATTERN } from "./code-format";

// What a scanned QR says, decided without following it: one of our trace URLs
// (/t/{code}, or a GS1 Digital Link URI), or something foreign that must not be opened.
// Runs in the browser (camera scanner) and on the server (photo upload).

/** GS1 AI 10/21 values: 1–20 characters of GS1's set 82 (URI-safe subset used here). */
const GS1_VALUE = /^[A-Za-z0-9!"%&'()*+,\-./:;<=>?_]{1,20}$/;

export type Gs1Path = { gtin: string; lot: string | null; serial: string | null };

/** Parses a GS1 Digital Link path: /01/{gtin}[/10/{lot}[/21/{serial}]]; null when invalid. */
export function parseGs1Path(pathname: string): Gs1Path | null {
  const parts = pathname
    .split("/")
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return "\u0000";
      }
    });
  if (parts[0] !== "01" || !parts[1]) return null;
  const gtin = parts[1].length === 13 ? `0${parts[1]}` : parts[1];
  if (!/^\d{14}$/.test(gtin) || !isValidGtin(gtin)) return null;
  let lot: string | null = null;
  let serial: string | null = null;
  let i = 2;
  if (parts[i] === "10") {
    if (!parts[i + 1] || !GS1_VALUE.test(parts[i + 1]!)) return null;
    lot = parts[i + 1]!;
    i += 2;
  }
  if (parts[i] === "21") {
    if (lot === null || !parts[i + 1] || !GS1_VALUE.test(parts[i + 1]!)) return null;
    serial = parts[i + 1]!;
    i += 2;
  }
  return i === parts.length ? { gtin, lot, serial } : null;
}

export function gs1Path(p: Gs1Path): string {
  let path = `/01/${p.gtin}`;
  if (p.lot !== null) path += `/10/${encodeURIComponent(p.lot)}`;
  if (p.serial !== null) path += `/21/${encodeURIComponent(p.serial)}`;
  return path;
}

export type ScanTarget = { ours: true; path: string } | { ours: false; text: string };

/**
 * Recognises our URLs by origin (the app's own, given) and path. Anything else —
 * another site, a phone number, plain text — is foreign and is only shown.
 */
export function recognizeScan(text: string, appOrigins: string[]): ScanTarget {
  const raw = text.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ours: false, text: raw };
  }
  if (!["http:", "https:"].includes(url.protocol) || !appOrigins.includes(url.origin)) return { ours: false, text: raw };
  const t = /^\/t\/([^/]+)\/?$/.exec(url.pathname);
  const code = t?.[1]?.toUpperCase();
  if (code && CODE_PATTERN.test(code)) return { ours: true, path: `/t/${code}` };
  const gs1 = parseGs1Path(url.pathname);
  if (gs1) return { ours: true, path: gs1Path(gs1) };
  return { ours: false, text: raw };
}
