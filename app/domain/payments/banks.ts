// Banks a producer can receive VietQR transfers at: NAPAS bank identification numbers (BIN)
// and VietQR's short bank code (the `@code` of a dl.vietqr.io link's `ba=` parameter).
export const BANKS = [
  { bin: "970436", name: "Vietcombank", code: "vcb" },
  { bin: "970415", name: "VietinBank", code: "icb" },
  { bin: "970418", name: "BIDV", code: "bidv" },
  { bin: "970405", name: "Agribank", code: "vba" },
  { bin: "970407", name: "Techcombank", code: "tcb" },
  { bin: "970422", name: "MB Bank", code: "mb" },
  { bin: "970416", name: "ACB", code: "acb" },
  { bin: "970432", name: "VPBank", code: "vpb" },
  { bin: "970403", name: "Sacombank", code: "stb" },
  { bin: "970423", name: "TPBank", code: "tpb" },
  { bin: "970437", name: "HDBank", code: "hdb" },
  { bin: "970449", name: "LPBank", code: "lpb" },
] as const;

export function bankName(bin: string | null): string {
  return BANKS.find((b) => b.bin === bin)?.name ?? bin ?? "";
}

/**
 * Bank apps a shopper can open from the phone they are paying on, by VietQR's app id
 * (`https://dl.vietqr.io/pay?app=<id>`). The shopper picks their own bank's app, whatever
 * bank the producer uses. Ids as VietQR's app-deeplink list gave them in 2026-08 (not
 * checked from this machine: docs/decisions/018-vietqr-on-the-same-phone.md); Sacombank had
 * no entry there, so it is not listed as an app to open.
 */
export const BANK_APPS = [
  { id: "vcb", name: "Vietcombank" },
  { id: "bidv", name: "BIDV" },
  { id: "icb", name: "VietinBank" },
  { id: "vba", name: "Agribank" },
  { id: "mb", name: "MB Bank" },
  { id: "tcb", name: "Techcombank" },
  { id: "acb", name: "ACB" },
  { id: "vpb", name: "VPBank" },
  { id: "tpb", name: "TPBank" },
  { id: "hdb", name: "HDBank" },
  { id: "shb", name: "SHB" },
  { id: "vib", name: "VIB" },
  { id: "ocb", name: "OCB" },
  { id: "seab", name: "SeABank" },
  { id: "eib", name: "Eximbank" },
] as const;

export type BankTransfer = { bankBin: string; accountNumber: string; amountVnd: number; memo: string };

/**
 * A link that opens bank app `appId` on this phone with the transfer filled in, where the
 * app supports it (VietQR deeplink: `ba=<account>@<bank code>`, `am` amount in đồng, `tn`
 * transfer text). An app that does not fill it in still opens; the shopper pastes what
 * they copied. The bank is named by VietQR's short code, or by its BIN when not in BANKS.
 */
export function bankAppLink(appId: string, transfer: BankTransfer): string {
  const bank = BANKS.find((b) => b.bin === transfer.bankBin)?.code ?? transfer.bankBin;
  const enc = encodeURIComponent;
  return `https://dl.vietqr.io/pay?app=${enc(appId)}&ba=${enc(transfer.accountNumber)}@${enc(bank)}&am=${transfer.amountVnd}&tn=${enc(transfer.memo)}`;
}
