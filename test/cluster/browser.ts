import { PHONE_UA } from "../helpers";

/** fetch with a cookie jar, as one browser would (redirects are not followed: the test reads them). */
export function browser(base: () => string) {
  const jar = new Map<string, string>();
  const go = async (p: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("User-Agent", PHONE_UA);
    if (jar.size) headers.set("Cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(`${base()}${p}`, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return res;
  };
  return {
    get: go,
    post: (p: string, fields: Record<string, string>) => go(p, { method: "POST", body: new URLSearchParams(fields) }),
    jar,
  };
}

export const CHECKOUT_FORM = {
  buyerName: "Người mua thử",
  buyerPhone: "0912345000",
  provinceCode: "19",
  wardCode: "05503",
  street: "Số 1",
  paymentMethod: "COD",
  intent: "place",
};

/** The checkout id a 302 after checkout points at (/checkout/{id}). */
export function checkoutIdOf(res: Response): string | null {
  return /\/checkout\/([0-9a-f-]{36})$/.exec(res.headers.get("Location") ?? "")?.[1] ?? null;
}
