// Banks a producer can receive VietQR transfers at: NAPAS bank identification numbers (BIN).
export const BANKS = [
  { bin: "970436", name: "Vietcombank" },
  { bin: "970415", name: "VietinBank" },
  { bin: "970418", name: "BIDV" },
  { bin: "970405", name: "Agribank" },
  { bin: "970407", name: "Techcombank" },
  { bin: "970422", name: "MB Bank" },
  { bin: "970416", name: "ACB" },
  { bin: "970432", name: "VPBank" },
  { bin: "970403", name: "Sacombank" },
  { bin: "970423", name: "TPBank" },
  { bin: "970437", name: "HDBank" },
  { bin: "970449", name: "LPBank" },
] as const;

export function bankName(bin: string | null): string {
  return BANKS.find((b) => b.bin === bin)?.name ?? bin ?? "";
}
