import fs from "node:fs";
import path from "node:path";
import { en, vi } from "./messages";
import { translator } from "./translate";
import { formatDate, formatVnd } from "./locale";

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

describe("i18n", () => {
  it("English has exactly the Vietnamese keys, none empty", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const [k, v] of Object.entries({ ...vi, ...en })) expect(v.trim(), k).not.toBe("");
  });

  it("every literal key the app uses exists", () => {
    const used = new Set<string>();
    for (const file of sourceFiles(path.resolve("app"))) {
      const text = fs.readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*"([a-zA-Z0-9_.]+)"/g)) used.add(m[1]!);
      for (const m of text.matchAll(/["`](error\.[a-zA-Z0-9_]+)(?:\|[^"`]*)?["`]/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter(
      (k) => !(k in vi) && !["error.page404", "error.page403", "error.page500", "error.page503"].includes(k),
    );
    expect(missing).toEqual([]);
  });

  it("has a label for every value the screens look up by enumeration", async () => {
    const { EVENT_FORMS } = await import("~/domain/trace/event-kinds");
    const { SHEET_LAYOUT_NAMES } = await import("~/domain/trace/label-sheet.server");
    const { OCOP_GROUPS, PRODUCER_TYPES, PRODUCT_UNITS } = await import("~/domain/catalog/ocop");
    const keys = [
      ...Object.keys(EVENT_FORMS).map((k) => `event.kind.${k}`),
      ...Object.values(EVENT_FORMS).flatMap((fields) => fields.map((f) => `event.field.${f.name}`)),
      ...["ACTIVE", "ON_HOLD", "RECALLED", "DEPLETED"].map((s) => `batchStatus.${s}`),
      ...["QUEUED", "RUNNING", "DONE", "FAILED"].map((s) => `jobStatus.${s}`),
      ...["PENDING", "APPROVED", "SUSPENDED"].map((s) => `producerStatus.${s}`),
      ...SHEET_LAYOUT_NAMES.map((l) => `sheet.layout.${l}`),
      ...OCOP_GROUPS.map((g) => `ocop.group.${g}`),
      ...PRODUCER_TYPES.map((p) => `producerType.${p}`),
      ...PRODUCT_UNITS.map((u) => `unit.${u}`),
      ...PRODUCT_UNITS.map((u) => `qty.${u}`),
      "error.phiNotPassed",
      "error.tooManyUnitCodes",
      "error.tooManyFiles",
      "event.hint.phiReason",
    ];
    expect(keys.filter((k) => !(k in vi))).toEqual([]);
  });

  it("fills parameters, including the key|param form of field errors", () => {
    expect(translator("vi")("error.tooLong|120")).toBe("Dài quá, tối đa 120 ký tự.");
    expect(translator("en")("batch.newTitle", { product: "Chè" })).toBe("Add a batch — Chè");
  });

  it("formats đồng and dates by locale", () => {
    expect(formatVnd("vi", 1500000).replace(/\s/g, " ")).toBe("1.500.000 ₫");
    expect(formatVnd("en", 1500000)).toContain("1,500,000");
    expect(formatDate("vi", new Date("2026-11-22T00:00:00Z"))).toContain("2026");
    expect(formatDate("en", new Date("2026-11-22T00:00:00Z"))).toContain("Nov");
  });
});
