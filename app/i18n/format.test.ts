import { en, vi } from "./messages";
import { compileMessage, formatMessage, messageFor, translator } from "./translate";
import type { Locale } from "./locale";

// Every placeholder a message may carry gets a sample of the kind its message declares.
function sampleValues(template: string): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const m of template.matchAll(/\{\s*(\w+)\s*(?:,\s*(\w+))?/g)) {
    const [, name, kind] = m as unknown as [string, string, string | undefined];
    values[name] = kind === "date" ? "2026-12-08" : kind === "plural" || kind === "number" ? 3500 : (values[name] ?? "X");
  }
  return values;
}

// English words that are counted: next to a plain number they must come from a plural.
const COUNTED =
  /^(products?|batch(es)?|codes?|times|photos?|labels?|minutes?|hours?|days?|items?|stars?|entries|entry|records?|problems?|tries|scans?|buyers?|steps?|characters?|files?|certificates?|runs?|lots?|units?|orders?|bottles?|boxes|pieces?)$/;

describe("message formatter (ICU MessageFormat)", () => {
  for (const [locale, dict] of [
    ["vi", vi],
    ["en", en],
  ] as [Locale, Record<string, string>][]) {
    it(`every ${locale} message parses and formats with sample values`, () => {
      const broken: string[] = [];
      for (const [key, template] of Object.entries(dict)) {
        try {
          const out = formatMessage(locale, compileMessage(locale, template), sampleValues(template));
          if (/\{\w+[,}]|[{}]/.test(out.replace(/\{\w+\}/g, ""))) broken.push(`${key}: ${out}`);
        } catch (error) {
          broken.push(`${key}: ${String(error)}`);
        }
      }
      expect(broken).toEqual([]);
    });
  }

  it("leaves words without placeholders exactly as written (apostrophes, quotes, #, <)", () => {
    const changed: string[] = [];
    for (const [locale, dict] of [
      ["vi", vi],
      ["en", en],
    ] as [Locale, Record<string, string>][])
      for (const [key, template] of Object.entries(dict))
        if (!template.includes("{") && translator(locale)(key) !== template) changed.push(`${locale} ${key}`);
    expect(changed).toEqual([]);
  });

  it("English never puts a plain number before a counted word (a count is a plural)", () => {
    const bad: string[] = [];
    for (const [key, template] of Object.entries(en)) {
      // What is left outside plural blocks: "{n} products", "{n} record(s)", "Scanned {n} times", "{n} {unit}" (a lab value's "{value} {unit}" is a measure, not a count).
      const flat = template.replace(/\{\w+, plural,(?:[^{}]|\{[^{}]*\})*\}/g, "#");
      if (/\(s\)/.test(flat)) bad.push(key);
      for (const m of flat.matchAll(/\{(\w+)\}\s+(\{unit\}|[a-z]+)/g))
        if ((m[2] === "{unit}" && /^(n|count|quantity|stock|total)$/.test(m[1]!)) || COUNTED.test(m[2]!)) bad.push(`${key} (${m[0]})`);
    }
    expect(bad).toEqual([]);
  });

  it("says 1 product, 2 products, with the locale's grouping", () => {
    const tEn = translator("en");
    const tVi = translator("vi");
    expect(tEn("store.results", { n: 1 })).toBe("1 product");
    expect(tEn("store.results", { n: 3500 })).toBe("3,500 products");
    expect(tVi("store.results", { n: 3500 })).toBe("3.500 sản phẩm");
    expect(tEn("code.scanCount", { n: 1 })).toBe("Scanned once");
    expect(tEn("code.scanCount", { n: 1200 })).toBe("Scanned 1,200 times");
    expect(tEn("qty.chai", { n: 1 })).toBe("1 bottle");
    expect(tEn("product.stock", { count: tEn("qty.chai", { n: 3497 }) })).toBe("3,497 bottles left");
    expect(tVi("product.stock", { count: tVi("qty.chai", { n: 3500 }) })).toBe("Còn 3.500 chai");
    expect(tEn("product.events", { n: 1 })).toBe("1 step recorded this season");
  });

  it("groups numbers given to a plain placeholder, leaves text alone", () => {
    expect(translator("vi")("trace.scans", { n: 12000 })).toBe("lượt quét thứ 12.000");
    expect(translator("en")("order.title", { n: "DH-0001" })).toBe("Order DH-0001");
  });

  it("reads the numbers of key|param field errors", () => {
    expect(translator("vi")("error.tooManyUnitCodes|3500")).toBe("Vượt quá số lượng của lô: chỉ tạo thêm được 3.500 mã.");
    expect(translator("en")("error.tooManyUnitCodes|1")).toBe("More than the batch quantity: at most 1 more code.");
    expect(translator("en")("error.tooLong|120")).toBe("Too long: at most 120 characters.");
    expect(translator("en")("checkout.onlyLeft|Chè Thái|2")).toBe("Only 2 of Chè Thái left. Nothing was taken; please lower the quantity.");
  });

  it("shows dates in the language's one format, from a date or a dd/mm/yyyy field error", () => {
    expect(translator("en")("error.phiNotPassed|08/10/2026")).toContain("8 Oct 2026");
    expect(translator("vi")("error.phiNotPassed|08/10/2026")).toContain("8 thg 10, 2026");
    expect(translator("en")("verdict.phi.title", { until: new Date("2026-10-07T18:00:00Z") })).toBe("Do not eat before 8 Oct 2026");
  });

  it("keeps a placeholder nobody filled for the page's script (verify page)", () => {
    expect(translator("en")("verifyBatch.browserOk")).toContain("{index}");
  });

  it("compiles each message once", () => {
    const first = messageFor("en", "store.results");
    translator("en")("store.results", { n: 2 });
    expect(messageFor("en", "store.results")?.compiled).toBe(first?.compiled);
    expect(first?.compiled).toBeTruthy();
  });
});

describe("money inside a message", () => {
  it("shows the unpaid limit in the reader's money format", () => {
    expect(translator("vi")("checkout.unpaidLimit|5000000").replace(/\s/g, " ")).toContain("5.000.000 ₫");
    expect(translator("en")("checkout.unpaidLimit|5000000")).toContain("₫5,000,000");
  });
});
