import crypto from "node:crypto";
import { appUrl } from "~/lib/app-url.server";
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";

// Trace codes: 18 symbols from a 31-letter alphabet with no look-alikes
// (no 0/O, 1/I/L) → 18·log2(31) ≈ 89 bits, unguessable and URL-safe.
import { CODE_ALPHABET, CODE_LENGTH, CODE_PATTERN } from "./code-format";

export { CODE_ALPHABET, CODE_LENGTH } from "./code-format";
export const CODE_BITS = CODE_LENGTH * Math.log2(CODE_ALPHABET.length);

export function generateTraceCode(): string {
  const out: string[] = [];
  // Rejection sampling keeps every symbol equally likely: 248 = 8·31 is the largest multiple of 31 below 256.
  const limit = 256 - (256 % CODE_ALPHABET.length);
  while (out.length < CODE_LENGTH) {
    for (const byte of crypto.randomBytes(CODE_LENGTH * 2)) {
      if (byte < limit) out.push(CODE_ALPHABET[byte % CODE_ALPHABET.length]!);
      if (out.length === CODE_LENGTH) break;
    }
  }
  return out.join("");
}

/** Accepts codes typed in lower case; null when it cannot be a code of ours. */
export function normalizeTraceCode(raw: string): string | null {
  const code = raw.trim().toUpperCase();
  return CODE_PATTERN.test(code) ? code : null;
}

/** What the QR holds: an absolute https URL a phone camera opens directly. */
export function traceUrl(code: string): string {
  return `${appUrl()}/t/${code}`;
}

/**
 * The batch's own code. Issuing twice returns the same code, so a reprinted
 * label matches the ones already on shelves.
 */
export async function issueBatchCode(batchId: string, issuedById: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await prisma.traceCode.findFirst({ where: { batchId, kind: "BATCH" } });
    if (existing) return existing;
    try {
      return await prisma.traceCode.create({
        data: { code: generateTraceCode(), batchId, kind: "BATCH", status: "ACTIVE", issuedById },
      });
    } catch (e) {
      // A collision on the code (astronomically rare) or a concurrent issue: look again.
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") continue;
      throw e;
    }
  }
  throw new Error("could not issue a unique trace code");
}

/**
 * What a code's QR holds: a GS1 Digital Link URI when the product has a GTIN
 * (`/01/{gtin14}/10/{lot}` plus `/21/{serial}` for unit codes), else `/t/{code}`.
 * Both resolve to the same trace page.
 */
export function qrUrl(code: { code: string; serial: string | null }, product: { gtin: string | null }, lotCode: string): string {
  if (!product.gtin) return traceUrl(code.code);
  const lot = `${appUrl()}/01/${product.gtin}/10/${encodeURIComponent(lotCode)}`;
  return code.serial ? `${lot}/21/${encodeURIComponent(code.serial)}` : lot;
}
