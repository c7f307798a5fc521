import { BANK_APPS, BANKS, bankAppLink } from "./banks";

describe("bank app links (VietQR deeplink)", () => {
  const transfer = { bankBin: "970436", accountNumber: "0011001234567", amountVnd: 250000, memo: "DH7K2M9QXR" };

  it("opens the chosen app with the producer's account at its bank, the exact amount and the order code", () => {
    expect(bankAppLink("bidv", transfer)).toBe("https://dl.vietqr.io/pay?app=bidv&ba=0011001234567@vcb&am=250000&tn=DH7K2M9QXR");
    const url = new URL(bankAppLink("mb", { ...transfer, bankBin: "970422" }));
    expect(url.searchParams.get("app")).toBe("mb");
    expect(url.searchParams.get("ba")).toBe("0011001234567@mb");
    expect(url.searchParams.get("am")).toBe("250000");
    expect(url.searchParams.get("tn")).toBe("DH7K2M9QXR");
  });

  it("names a bank outside the list by its BIN", () => {
    expect(new URL(bankAppLink("vcb", { ...transfer, bankBin: "970999" })).searchParams.get("ba")).toBe("0011001234567@970999");
  });

  it("every payee bank has a code, and app ids are unique", () => {
    for (const b of BANKS) expect(b.code).toMatch(/^[a-z]{2,5}$/);
    expect(new Set(BANK_APPS.map((a) => a.id)).size).toBe(BANK_APPS.length);
  });
});
