// Storefront lists may lag behind a new listing by this much: the browse list of
// provinces and the count of a filter's products without a query are asked for on
// every page, and answering them means looking at every producer or product.
const LAG_MS = 60_000;
// Kept as promises (concurrent pages share one query) per key: the provinces list and one
// count per filter combination (groups × provinces × stars: about a thousand at most).
const kept = new Map<string, { until: number; value: Promise<unknown> }>();

export function keptForLag<T>(key: string, now: number, load: () => Promise<T>): Promise<T> {
  const hit = kept.get(key);
  if (hit && hit.until > now) return hit.value as Promise<T>;
  const entry = { until: now + LAG_MS, value: load() };
  kept.set(key, entry);
  // A failed answer is not kept: the next page asks again.
  entry.value.catch(() => kept.get(key) === entry && kept.delete(key));
  return entry.value;
}

/** Tests: the next lists read the database again. */
export function forgetStorefrontCaches() {
  kept.clear();
}
