import { quoteDelivery, type FeeTable } from "./fees";
import { trackingUrl, CARRIERS } from "./carriers";
import { parseShipment } from "./shipment";

// Thái Nguyên 19, Hà Nội 01, TP Hồ Chí Minh 79, Lào Cai 15 (codes since 1 July 2025).
const table: FeeTable = {
  flatFeeVnd: 5000,
  freeAboveVnd: 500000,
  zones: [
    { name: "Nội tỉnh", provinceCodes: ["19"], coversRest: false, feeVnd: 15000, minDays: 1, maxDays: 2 },
    { name: "Miền Bắc", provinceCodes: ["01", "15"], coversRest: false, feeVnd: 25000, minDays: 2, maxDays: 3 },
    { name: "Toàn quốc", provinceCodes: [], coversRest: true, feeVnd: 40000, minDays: 3, maxDays: 6 },
  ],
};

describe("delivery fee rule", () => {
  it("charges the flat fee plus the zone fee of the zone naming the province", () => {
    expect(quoteDelivery(table, "19", 100000)).toEqual({
      delivered: true,
      zoneName: "Nội tỉnh",
      feeVnd: 20000,
      free: false,
      minDays: 1,
      maxDays: 2,
    });
    expect(quoteDelivery(table, "01", 100000)).toMatchObject({ zoneName: "Miền Bắc", feeVnd: 30000, minDays: 2, maxDays: 3 });
  });

  it("sends a province in no named zone to the rest zone", () => {
    expect(quoteDelivery(table, "79", 100000)).toMatchObject({ delivered: true, zoneName: "Toàn quốc", feeVnd: 45000, maxDays: 6 });
  });

  it("is free from the free-above amount of the subtotal on, and charged just below it", () => {
    expect(quoteDelivery(table, "79", 500000)).toMatchObject({ delivered: true, feeVnd: 0, free: true });
    expect(quoteDelivery(table, "79", 499999)).toMatchObject({ feeVnd: 45000, free: false });
  });

  it("does not deliver to a province in no zone when no zone covers the rest", () => {
    const north = { ...table, zones: table.zones.filter((z) => !z.coversRest) };
    expect(quoteDelivery(north, "79", 100000)).toEqual({ delivered: false });
    expect(quoteDelivery(north, "79", 10_000_000)).toEqual({ delivered: false });
  });

  it("a flat fee alone: one rest zone at 0 đ", () => {
    const flat: FeeTable = {
      flatFeeVnd: 30000,
      freeAboveVnd: null,
      zones: [{ name: "Toàn quốc", provinceCodes: [], coversRest: true, feeVnd: 0, minDays: 2, maxDays: 5 }],
    };
    expect(quoteDelivery(flat, "01", 10_000_000)).toMatchObject({ feeVnd: 30000, free: false });
  });

  it("a producer without a table sells as before: no fee, no estimate", () => {
    expect(quoteDelivery(null, "79", 100000)).toEqual({
      delivered: true,
      zoneName: null,
      feeVnd: 0,
      free: false,
      minDays: null,
      maxDays: null,
    });
  });
});

describe("tracking links", () => {
  it("links each carrier's public page with the number encoded, and none for own delivery", () => {
    const urls = Object.fromEntries(CARRIERS.map((c) => [c, trackingUrl(c, "GHN12345AB")]));
    expect(urls).toEqual({
      OWN: null,
      GHN: "https://donhang.ghn.vn/?order_code=GHN12345AB",
      GHTK: "https://i.ghtk.vn/GHN12345AB",
      VIETTEL_POST: "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?code=GHN12345AB",
      VNPOST: "https://vnpost.vn/tra-cuu-hanh-trinh/buu-pham?key=GHN12345AB",
      JT: "https://jtexpress.vn/vi/tracking?type=track&billcode=GHN12345AB",
    });
    expect(trackingUrl("GHTK", "a/b?c=d&e")).toBe("https://i.ghtk.vn/a%2Fb%3Fc%3Dd%26e");
  });

  it("reads tracking numbers loosely but bounded, and requires one for a carrier", () => {
    expect(parseShipment({ carrier: "GHN", trackingNumber: " ghn-123 456 " })).toEqual({
      ok: true,
      data: { carrier: "GHN", trackingNumber: "GHN123456" },
    });
    expect(parseShipment({ carrier: "GHN", trackingNumber: "" })).toEqual({ ok: false, error: "delivery.trackingNumberRequired" });
    expect(parseShipment({ carrier: "OWN", trackingNumber: "" })).toEqual({ ok: true, data: { carrier: "OWN", trackingNumber: null } });
    expect(parseShipment({ carrier: "JT", trackingNumber: "12345" })).toEqual({ ok: false, error: "delivery.badTrackingNumber" });
    expect(parseShipment({ carrier: "JT", trackingNumber: "A".repeat(31) })).toEqual({ ok: false, error: "delivery.badTrackingNumber" });
    expect(parseShipment({ carrier: "JT", trackingNumber: "<script>1" })).toEqual({ ok: false, error: "delivery.badTrackingNumber" });
    expect(parseShipment({ carrier: "DHL", trackingNumber: "ABC123456" })).toEqual({ ok: false, error: "error.chooseOne" });
  });
});
