import { useT } from "~/i18n/use-t";

// The storefront's order and its two quick filters, inside the list's GET form: they work
// without JavaScript and stay in the URL next to the query, group, province and page.

export const SORT_CHOICES = ["relevance", "newest", "priceAsc", "priceDesc", "stars"] as const;

export type ListChoices = {
  q?: string;
  group?: number;
  province?: string;
  stars?: number;
  sort?: string;
  fourStars?: string;
  inStock?: string;
};

/** The list's URL parameters for these choices (page and query left to the caller). */
export function choiceParams(query: ListChoices): URLSearchParams {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.group) params.set("group", String(query.group));
  if (query.province) params.set("province", query.province);
  if (query.stars) params.set("stars", String(query.stars));
  if (query.sort) params.set("sort", query.sort);
  if (query.fourStars) params.set("fourStars", query.fourStars);
  if (query.inStock) params.set("inStock", query.inStock);
  return params;
}

/** The sort select and the "4★ trở lên" / "Còn hàng" boxes; `sort` is the order in effect. */
export function StorefrontSortFilters({ query, sort }: { query: ListChoices; sort: string }) {
  const t = useT();
  // "Best match" means something only for words typed.
  const choices = SORT_CHOICES.filter((s) => s !== "relevance" || Boolean(query.q?.trim()));
  return (
    <div className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-3">
      <label className="text-sm">
        {t("store.sort")}
        <select name="sort" defaultValue={sort} className="mt-1 block w-full" data-testid="sort">
          {choices.map((s) => (
            <option key={s} value={s}>
              {t(`store.sort.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex min-h-11 items-center gap-2 self-end text-sm">
        <input type="checkbox" name="fourStars" value="1" defaultChecked={query.fourStars === "1"} className="h-5 w-5" />
        {t("store.fourStars")}
      </label>
      <label className="flex min-h-11 items-center gap-2 self-end text-sm">
        <input type="checkbox" name="inStock" value="1" defaultChecked={query.inStock === "1"} className="h-5 w-5" />
        {t("store.inStock")}
      </label>
    </div>
  );
}
