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

/** Fees and estimates of a cart's or a product's producer groups for the shopper's province. */
export async function deliveryForShopper(request: Request, groups: { producerId: string; subtotalVnd: number }[]) {
  const province = shopperProvince(request);
  return {
    province: province.code,
    provinceName: province.code ? findProvince(province.code)!.name : null,
    provinces: listProvinces(),
    groups: await quoteGroups(groups, province.code),
    setCookie: province.setCookie,
  };
}
export type ShopperDelivery = Omit<Awaited<ReturnType<typeof deliveryForShopper>>, "setCookie">;
