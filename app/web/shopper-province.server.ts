import { findProvince, listProvinces } from "~/domain/address/address.server";
import { quoteGroups } from "~/domain/delivery/settings.server";

// The shopper's province for delivery fees: `?province=` (a small GET form), else the plain
// `ocop_province` cookie that form leaves. Nothing else per user: a page's content may depend
// only on the URL, the language cookie and this cookie (pages are cached on those).
const COOKIE = "ocop_province";
const YEAR_SECONDS = 365 * 24 * 3600;

function cookieValue(request: Request): string | null {
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === COOKIE) return rest.join("=");
  }
  return null;
}

export function shopperProvince(request: Request): { code: string | null; setCookie: string | null } {
  const asked = new URL(request.url).searchParams.get("province");
  const remembered = cookieValue(request);
  if (asked && findProvince(asked)) {
    const setCookie = asked === remembered ? null : `${COOKIE}=${asked}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax`;
    return { code: asked, setCookie };
  }
  return { code: remembered && findProvince(remembered) ? remembered : null, setCookie: null };
}

type ProducerGroup = { producerId: string; subtotalVnd: number };

/** A cart's lines summed per producer: each producer sends (and charges for) its own parcel. */
export function producerGroupsOf(lines: { product: { producer: { id: string } }; lineVnd: number }[]): ProducerGroup[] {
  const subtotals = new Map<string, number>();
  for (const l of lines) subtotals.set(l.product.producer.id, (subtotals.get(l.product.producer.id) ?? 0) + l.lineVnd);
  return [...subtotals].map(([producerId, subtotalVnd]) => ({ producerId, subtotalVnd }));
}

/** Fees and estimates of producer groups for one province (null: none chosen yet). */
export async function deliveryForProvince(provinceCode: string | null, groups: ProducerGroup[]) {
  const province = provinceCode && findProvince(provinceCode) ? provinceCode : null;
  return {
    province,
    provinceName: province ? findProvince(province)!.name : null,
    provinces: listProvinces(),
    groups: await quoteGroups(groups, province),
  };
}

/** Fees and estimates of a cart's or a product's producer groups for the shopper's province. */
export async function deliveryForShopper(request: Request, groups: ProducerGroup[]) {
  const province = shopperProvince(request);
  return { ...(await deliveryForProvince(province.code, groups)), setCookie: province.setCookie };
}
export type ShopperDelivery = Awaited<ReturnType<typeof deliveryForProvince>>;
