import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { nearWords, TYPO_MIN_WORD } from "./search";
import { keptForLag } from "./storefront-cache.server";

// Typo tolerance, two ways. A word of the catalog one typo away (search.ts oneEditAway:
// swapped letters, one missing or extra, one wrong in longer words) is found as a whole word
// ("mma" → "mắm", "nuc" → "nước"). And pg_trgm word similarity: a word of at least
// TYPO_MIN_LENGTH letters matches a word it shares half its trigrams with ("mamm" → "mắm",
// "cuomg" → "Cương"); shorter words have too few trigrams for that to mean anything ("mab"
// would match every "ma…").
export const TYPO_SIMILARITY = 0.5;
export const TYPO_MIN_LENGTH = 4;

/** The words forgiven a typo, each with the catalog's words one typo away from it (maybe none). */
export type Typos = ReadonlyMap<string, readonly string[]>;
export const NO_TYPOS: Typos = new Map();

/** Every word products on sale are found by (folded names, producers, provinces), kept for LAG_MS: where typos are looked up. */
function vocabulary(now: number): Promise<string[]> {
  return keptForLag("vocabulary", now, () =>
    prisma.$queryRaw<{ word: string }[]>`
      SELECT DISTINCT w AS "word"
      FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId", unnest(string_to_array(btrim(p."searchText"), ' ')) AS w
      WHERE p."listingStatus" = 'LISTED' AND pr."status" = 'APPROVED' AND length(w) >= ${TYPO_MIN_WORD - 1}`.then((rows) =>
      rows.map((r) => r.word),
    ),
  );
}

/**
 * The words of a query that found nothing to forgive a typo in: those of at least
 * TYPO_MIN_WORD letters that start no word anywhere in the catalog ("mamm", "mma"), or all
 * of them when each exists but not together ("vanh" is a word, "gao nep vanh" a typo), each
 * with the catalog's words one typo away. Word similarity is the dear part of the search,
 * so it is spent on as few words as can be.
 */
export async function typoTerms(terms: string[], now: Date): Promise<Typos> {
  const long = terms.filter((t) => t.length >= TYPO_MIN_WORD);
  if (long.length === 0) return NO_TYPOS;
  const exists = Prisma.join(long.map((t) => Prisma.sql`EXISTS (SELECT 1 FROM "Product" p WHERE p."searchText" LIKE ${`% ${t}%`})`));
  const [[row], words] = await Promise.all([
    prisma.$queryRaw<{ found: boolean[] }[]>`SELECT ARRAY[${exists}] AS "found"`,
    vocabulary(now.getTime()),
  ]);
  const missing = long.filter((_, i) => !row?.found[i]);
  const forgiven = missing.length > 0 ? missing : long;
  const typos = new Map(forgiven.map((term) => [term, nearWords(term, words)] as const));
  // A short word with nothing one typo away cannot be forgiven at all (no trigram test for it).
  for (const [term, near] of typos) if (near.length === 0 && term.length < TYPO_MIN_LENGTH) typos.delete(term);
  return typos;
}
