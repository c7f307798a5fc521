// VietQR (NAPAS 247, EMVCo merchant-presented) payload for one order: the producer's
// bank BIN and account, the exact amount, the order code as the memo (62/08).
// The fields are the tlv() calls in vietQrPayload; the published CRC vectors and a check by an
// independent decoder (npm vietnam-qr-pay) are in vietqr.test.ts.

const NAPAS_GUID = "A000000727";

function tlv(tag: string, value: string): string {
  if (value.length > 99) throw new Error(`VietQR field ${tag} is longer than 99 characters`);
  return `${tag}${String(value.length).padStart(2, "0")}${value}`;
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), 4 upper-case hex digits. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, "utf8")) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, "0");
}

export type VietQrInput = { bankBin: string; accountNumber: string; amountVnd: number; memo: string };

/** A dynamic (amount-fixed) VietQR payload to an account (QRIBFTTA). */
export function vietQrPayload({ bankBin, accountNumber, amountVnd, memo }: VietQrInput): string {
  if (!/^\d{6}$/.test(bankBin)) throw new Error("bank BIN must be 6 digits");
  if (!/^[0-9A-Za-z]{1,19}$/.test(accountNumber)) throw new Error("account number must be 1–19 letters or digits");
  if (!Number.isInteger(amountVnd) || amountVnd <= 0) throw new Error("amount must be a whole number of đồng");
  if (!/^[0-9A-Za-z ]{1,25}$/.test(memo)) throw new Error("memo must be plain ASCII letters and digits");
  const beneficiary = tlv("00", bankBin) + tlv("01", accountNumber);
  const merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", "QRIBFTTA");
  const body =
    tlv("00", "01") +
    tlv("01", "12") +
    tlv("38", merchant) +
    tlv("53", "704") +
    tlv("54", String(amountVnd)) +
    tlv("58", "VN") +
    tlv("62", tlv("08", memo)) +
    "6304";
  return body + crc16(body);
}
