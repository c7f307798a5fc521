// Vietnamese search without diacritics: "nuoc mam" must find "Nước mắm". Text is
// folded once when stored (Product.searchText) and the query the same way; the
// storefront's SQL (storefront.server.ts) finds candidates in searchText through a
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
