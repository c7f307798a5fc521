import { CODE_ALPHABET, CODE_BITS, CODE_LENGTH, generateTraceCode, normalizeTraceCode, traceUrl } from "./code.server";

describe("trace code generator", () => {
  it("makes codes of the fixed length from the look-alike-free, URL-safe alphabet", () => {
    for (let i = 0; i < 1000; i++) {
      const code = generateTraceCode();
      expect(code).toHaveLength(CODE_LENGTH);
      expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]+$/);
      expect(encodeURIComponent(code)).toBe(code);
    }
    for (const lookAlike of ["0", "O", "1", "I", "L"]) expect(CODE_ALPHABET).not.toContain(lookAlike);
  });

  it("carries at least 80 bits of randomness", () => {
    expect(CODE_BITS).toBeGreaterThanOrEqual(80);
  });

  it("gives 100,000 distinct codes and uses every symbol about equally", () => {
    const seen = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const code = generateTraceCode();
      seen.add(code);
      for (const ch of code) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(seen.size).toBe(100_000);
    const expected = (100_000 * CODE_LENGTH) / CODE_ALPHABET.length;
    expect(counts.size).toBe(CODE_ALPHABET.length);
    // Modulo bias would push some symbols ~3% over; a fair generator stays within 2%.
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.02);
  });

  it("normalizes typed codes and refuses what cannot be a code", () => {
    const code = generateTraceCode();
    expect(normalizeTraceCode(` ${code.toLowerCase()} `)).toBe(code);
    expect(normalizeTraceCode("ABC")).toBeNull();
    expect(normalizeTraceCode("0".repeat(CODE_LENGTH))).toBeNull();
  });

  it("builds the QR URL from APP_URL", () => {
    expect(traceUrl("ABCDEFGH23456789XY")).toBe(`${process.env.APP_URL}/t/ABCDEFGH23456789XY`);
  });
});
