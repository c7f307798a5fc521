import { parseGs1Path, recognizeScan } from "./scan-url";

const ORIGIN = "https://ocop-trace.vn";

describe("GS1 Digital Link parser", () => {
  it("parses GTIN, lot and serial", () => {
    expect(parseGs1Path("/01/04006381333931")).toEqual({ gtin: "04006381333931", lot: null, serial: null });
    expect(parseGs1Path("/01/04006381333931/10/NM-2026-1")).toEqual({ gtin: "04006381333931", lot: "NM-2026-1", serial: null });
    expect(parseGs1Path("/01/4006381333931/10/LOT1/21/000017")).toEqual({ gtin: "04006381333931", lot: "LOT1", serial: "000017" });
  });
  it("refuses invalid URIs", () => {
    expect(parseGs1Path("/01/04006381333932")).toBeNull(); // wrong check digit
    expect(parseGs1Path("/01/123")).toBeNull();
    expect(parseGs1Path("/01/04006381333931/21/000017")).toBeNull(); // serial without lot
    expect(parseGs1Path("/01/04006381333931/10/")).toBeNull();
    expect(parseGs1Path(`/01/04006381333931/10/${"X".repeat(21)}`)).toBeNull(); // AI 10 is at most 20
    expect(parseGs1Path("/01/04006381333931/10/A/99/B")).toBeNull(); // trailing junk
    expect(parseGs1Path("/02/04006381333931")).toBeNull();
  });
});

describe("scanner URL recognition", () => {
  it("recognises our trace and GS1 URLs and normalises them to paths", () => {
    expect(recognizeScan(`${ORIGIN}/t/chetancvng2345abcd`, [ORIGIN])).toEqual({ ours: true, path: "/t/CHETANCVNG2345ABCD" });
    expect(recognizeScan(`${ORIGIN}/01/04006381333931/10/LOT1/21/7`, [ORIGIN])).toEqual({
      ours: true,
      path: "/01/04006381333931/10/LOT1/21/7",
    });
  });
  it("never treats other sites, other paths or plain text as ours", () => {
    expect(recognizeScan("https://evil.example/t/CHETANCVNG2345ABCD", [ORIGIN])).toEqual({
      ours: false,
      text: "https://evil.example/t/CHETANCVNG2345ABCD",
    });
    expect(recognizeScan("https://ocop-trace.vn.evil.example/t/CHETANCVNG2345ABCD", [ORIGIN]).ours).toBe(false);
    expect(recognizeScan(`${ORIGIN}/admin`, [ORIGIN]).ours).toBe(false);
    expect(recognizeScan(`${ORIGIN}/t/SHORT`, [ORIGIN]).ours).toBe(false);
    expect(recognizeScan("javascript:alert(1)", [ORIGIN]).ours).toBe(false);
    expect(recognizeScan("Chè Tân Cương 0912345678", [ORIGIN])).toEqual({ ours: false, text: "Chè Tân Cương 0912345678" });
  });
});
