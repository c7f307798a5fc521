import { prisma } from "~/db.server";
import { badgeCertificate, badgeCertificateSelect } from "~/domain/catalog/certificate";
import { isValidGtin } from "~/domain/catalog/gtin";

// What the GS1-conformant resolver knows about one GS1 Digital Link URI: which entry answers
// it (walking up from an unknown lot or serial to the product), and the links of that entry
// and of every level above it. No Request or Response here: app/web/gs1-resolver.server.ts
// negotiates, redirects and writes the linkset (docs/decisions/036-gs1-resolver.md).

/** The GS1 Web Vocabulary, the one link-type namespace this resolver recognises. */
export const GS1_VOC = "https://gs1.org/voc/";
/** The link types this resolver may answer with, in the order a linkset lists them. */
export const LINK_TYPES = ["defaultLink", "pip", "traceability", "epcis", "recallStatus", "certificationInfo"] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export type Gs1Level = "product" | "lot" | "unit";
/** One link: an app path (made absolute by the web layer), its media type and what it is about. */
export type Gs1Link = { linkType: LinkType; path: string; type: string; about: "product" | "lot" | "unit" | "recalled" | "noRecall" };
export type Gs1Entry = {
  level: Gs1Level;
  /** The canonical Digital Link path of the entry that answered (after any walk-up). */
  path: string;
  /** True when the request named a lot or serial that has no entry of its own. */
  walkedUp: boolean;
  productName: string;
  lotCode: string | null;
  links: Gs1Link[];
};
export type Gs1Lookup = { kind: "invalid" } | { kind: "unknown" } | { kind: "gone" } | { kind: "found"; entry: Gs1Entry };

// GS1 AI 10 and AI 21 values: up to 20 characters of GS1's AI encodable character set 82.
const AI82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;
/** GTIN-14 with a right check digit (the Digital Link form), and lot/serial in AI 82. */
export function isValidKey(gtin: string, lot: string | null, serial: string | null): boolean {
  if (!/^\d{14}$/.test(gtin) || !isValidGtin(gtin)) return false;
  if (lot !== null && !AI82.test(lot)) return false;
  return serial === null || AI82.test(serial);
}

const enc = encodeURIComponent;
export const productPath = (gtin: string) => `/01/${gtin}`;
export const lotPath = (gtin: string, lot: string) => `/01/${gtin}/10/${enc(lot)}`;
export const unitPath = (gtin: string, lot: string, serial: string) => `/01/${gtin}/10/${enc(lot)}/21/${enc(serial)}`;

/**
 * Finds the entry for /01/{gtin}[/10/{lot}[/21/{serial}]] in at most three indexed lookups.
 * - invalid: the URI is not a GS1 Digital Link (bad check digit, characters outside AI 82);
 * - unknown: no such GTIN, or its producer was never approved (404);
 * - gone: the producer was suspended, or the lot's or unit's code was voided (410);
 * - found: the entry, walked up to the product when the lot or serial has none of its own.
 * A serial the lot does not have walks up to the product, never to the lot: a made-up serial
 * on a copied label must not be told the lot is real (docs/decisions/014, the unit path's rule).
 */
export async function lookupGs1(gtin: string, lot: string | null, serial: string | null): Promise<Gs1Lookup> {
  if (!isValidKey(gtin, lot, serial)) return { kind: "invalid" };
  const product = await prisma.product.findUnique({
    where: { gtin },
    select: {
      id: true,
      name: true,
      listingStatus: true,
      producer: { select: { status: true } },
      certificates: {
        where: { verification: "VERIFIED" },
        select: badgeCertificateSelect,
      },
    },
  });
  if (!product || product.producer.status === "PENDING") return { kind: "unknown" };
  if (product.producer.status === "SUSPENDED") return { kind: "gone" };
  const listed = product.listingStatus === "LISTED";
  const productLinks: Gs1Link[] = [
    ...(listed ? [{ linkType: "pip" as const, path: `/products/${product.id}`, type: "text/html", about: "product" as const }] : []),
    ...(listed && badgeCertificate(product.certificates)
      ? [
          {
            linkType: "certificationInfo" as const,
            path: `/api/v1/products/${product.id}`,
            type: "application/json",
            about: "product" as const,
          },
        ]
      : []),
  ];
  const atProduct = (walkedUp: boolean): Gs1Lookup => ({
    kind: "found",
    entry: {
      level: "product",
      path: productPath(gtin),
      walkedUp,
      productName: product.name,
      lotCode: null,
      links: [{ linkType: "defaultLink", path: productPath(gtin), type: "text/html", about: "product" }, ...productLinks],
    },
  });
  if (lot === null) return atProduct(false);

  // Lots are stored upper case, serials upper case or digits (gs1.server.ts).
  const lotCode = lot.toUpperCase();
  const batch = await prisma.batch.findUnique({
    where: { productId_lotCode: { productId: product.id, lotCode } },
    select: {
      id: true,
      status: true,
      codes: { where: { kind: "BATCH" }, select: { status: true }, take: 1 },
    },
  });
  // A lot without a batch code has never been on a shelf: it has no public page of its own.
  const batchCode = batch?.codes[0];
  if (!batch || !batchCode) return atProduct(true);
  if (batchCode.status === "VOID") return { kind: "gone" };

  let level: Gs1Level = "lot";
  let ownPath = lotPath(gtin, lotCode);
  if (serial !== null) {
    const unit = await prisma.traceCode.findFirst({
      where: { kind: "UNIT", batchId: batch.id, serial: serial.toUpperCase() },
      select: { status: true },
    });
    if (!unit) return atProduct(true);
    if (unit.status === "VOID") return { kind: "gone" };
    level = "unit";
    ownPath = unitPath(gtin, lotCode, serial.toUpperCase());
  }
  const about = level === "unit" ? "unit" : "lot";
  return {
    kind: "found",
    entry: {
      level,
      path: ownPath,
      walkedUp: false,
      productName: product.name,
      lotCode,
      links: [
        { linkType: "defaultLink", path: ownPath, type: "text/html", about },
        { linkType: "traceability", path: ownPath, type: "text/html", about },
        { linkType: "epcis", path: `/api/v1/batches/${batch.id}/epcis`, type: "application/ld+json", about: "lot" },
        // The trace page tells a recall first (the lot's own recall page is that page).
        { linkType: "recallStatus", path: ownPath, type: "text/html", about: batch.status === "RECALLED" ? "recalled" : "noRecall" },
        ...productLinks,
      ],
    },
  };
}

/**
 * The link type a `linkType` value names: a gs1: CURIE or a full GS1 Web Vocabulary URI
 * (gs1.org or ref.gs1.org, http or https); "linkset" (and the deprecated "all") ask for the
 * whole set. Null for any other value, which is answered with the default link.
 */
export function readLinkType(raw: string): LinkType | "linkset" | null {
  if (raw === "linkset" || raw === "all") return "linkset";
  const term = /^(?:gs1:|https?:\/\/(?:ref\.)?gs1\.org\/voc\/)([A-Za-z]+)$/.exec(raw)?.[1];
  return term && (LINK_TYPES as readonly string[]).includes(term) ? (term as LinkType) : null;
}
