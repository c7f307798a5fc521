// The carriers a producer ships with, and where a buyer follows a parcel. One table, so a
// carrier changing its tracking page is one line. OWN: the producer's own delivery, no page.

export const CARRIERS = ["OWN", "GHN", "GHTK", "VIETTEL_POST", "VNPOST", "JT"] as const;
export type CarrierCode = (typeof CARRIERS)[number];

export const CARRIER_NAMES: Record<CarrierCode, string> = {
  OWN: "",
  GHN: "GHN",
  GHTK: "GHTK",
  VIETTEL_POST: "Viettel Post",
  VNPOST: "VNPost",
  JT: "J&T Express",
};

// Public tracking pages; {code} is replaced by the URI-encoded number.
const TRACKING_URLS: Record<CarrierCode, string | null> = {
  OWN: null,
  GHN: "https://donhang.ghn.vn/?order_code={code}",
  GHTK: "https://i.ghtk.vn/{code}",
  VIETTEL_POST: "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?code={code}",
  VNPOST: "https://vnpost.vn/tra-cuu-hanh-trinh/buu-pham?key={code}",
  JT: "https://jtexpress.vn/vi/tracking?type=track&billcode={code}",
};

/** The carrier's public page for this tracking number, or null (own delivery). */
export function trackingUrl(carrier: CarrierCode, trackingNumber: string): string | null {
  const template = TRACKING_URLS[carrier];
  return template ? template.replace("{code}", encodeURIComponent(trackingNumber)) : null;
}

/** Carrier numbers are letters and digits; bounded so nothing else reaches a link. */
export const TRACKING_NUMBER = /^[A-Z0-9]{6,30}$/;
