// GTIN-13/14 with the GS1 mod-10 check digit. Stored as GTIN-14 (GTIN-13 gets a leading 0),
// which is the form GS1 Digital Link URIs carry.

export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGtin(raw: string): boolean {
  if (!/^(\d{13}|\d{14})$/.test(raw)) return false;
  return gtinCheckDigit(raw.slice(0, -1)) === Number(raw[raw.length - 1]);
}

/** GTIN-13 or -14 → GTIN-14, or null when the digits or check digit are wrong. */
export function toGtin14(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, "");
  if (!isValidGtin(digits)) return null;
  return digits.padStart(14, "0");
}
