// Vietnamese search without diacritics: "nuoc mam" must find "Nước mắm". Text is
// folded once when stored (Product.searchText) and the query the same way; the
// storefront's SQL (storefront-search.server.ts) finds candidates in searchText through a
// trigram index and ranks them by where the words matched.

/** Lower-case ASCII: tone and vowel marks dropped, đ → d, runs of spaces collapsed. */
export function foldVietnamese(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** The folded words of a query (eight at most); each must start a word of the product's search text, or be a typo of one. */
export function searchTerms(query: string): string[] {
  return foldVietnamese(query).split(" ").filter(Boolean).slice(0, 8);
}

/** What a product is found by: its name, its producer's name and its province. */
export function productSearchText(parts: { productName: string; producerName: string; provinceName: string }): string {
  return ` ${foldVietnamese(`${parts.productName} ${parts.producerName} ${parts.provinceName}`)} `;
}

// Typos a shopper makes on a phone keyboard: two neighbouring letters swapped ("mma" for
// "mam"), a letter missing ("nuc") or one too many ("mamm"). One wrong letter is forgiven too,
// but only in words of TYPO_SUBSTITUTION_MIN letters or more: in a three-letter word it is
// usually another word ("mab", "mat", "mai"). Words shorter than TYPO_MIN_WORD are taken as typed.
export const TYPO_MIN_WORD = 3;
const TYPO_SUBSTITUTION_MIN = 4;

/** Whether `word` is exactly one forgiven typo away from what was `typed` (folded, both). */
export function oneEditAway(typed: string, word: string): boolean {
  if (typed === word || typed.length < TYPO_MIN_WORD) return false;
  const diff = typed.length - word.length;
  if (Math.abs(diff) > 1) return false;
  let i = 0;
  while (i < typed.length && i < word.length && typed[i] === word[i]) i += 1;
  if (diff === 1) return typed.slice(i + 1) === word.slice(i); // an extra letter in what was typed
  if (diff === -1) return typed.slice(i) === word.slice(i + 1); // a letter missing
  if (typed[i] === word[i + 1] && typed[i + 1] === word[i] && typed.slice(i + 2) === word.slice(i + 2)) return true; // swapped
  return typed.length >= TYPO_SUBSTITUTION_MIN && typed.slice(i + 1) === word.slice(i + 1);
}

/** The words of `vocabulary` one typo away from `term`, most likely first (swaps, then missing/extra letters, then wrong ones). */
export function nearWords(term: string, vocabulary: Iterable<string>, max = 8): string[] {
  const kind = (word: string) => (word.length !== term.length ? 1 : [...word].sort().join("") === [...term].sort().join("") ? 0 : 2);
  const near: string[] = [];
  for (const word of vocabulary) if (oneEditAway(term, word)) near.push(word);
  return near.sort((a, b) => kind(a) - kind(b) || a.localeCompare(b)).slice(0, max);
}

/**
 * "Did you mean": the query with each word that was typed wrong replaced by the word of the
 * product found that it was a typo of, written as the product writes it ("nuoc mma" →
 * "nước mắm"). Words found as typed keep their accented form when they are a whole word of
 * the product, and stay as typed when they only start one. Null when nothing was corrected.
 */
export function suggestQuery(terms: string[], found: { name: string; producerName: string; provinceName: string }): string | null {
  const words = `${found.name} ${found.producerName} ${found.provinceName}`
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => ({ shown: w.toLocaleLowerCase("vi"), folded: foldVietnamese(w) }));
  let corrected = false;
  const out = terms.map((term) => {
    const same = words.find((w) => w.folded === term);
    if (same) return same.shown;
    if (words.some((w) => w.folded.startsWith(term))) return term;
    // Nearest first: the product's own name before its producer's and province's words.
    const typo =
      words.find((w) => oneEditAway(term, w.folded)) ??
      words.find((w) => term.length >= 4 && w.folded.startsWith(term.slice(0, -1)) && oneEditAway(term, w.folded.slice(0, term.length)));
    if (!typo) return term;
    corrected = true;
    return typo.shown;
  });
  return corrected ? out.join(" ") : null;
}
