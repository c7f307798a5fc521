import { describe, expect, it } from "vitest";
import { csvRows, neutraliseFormulas } from "./exports.server";

// A line break inside a cell is a separator too for an importer that splits lines before quotes.
describe("CSV cells holding a line break", () => {
  it("are quoted, and a formula after \\n or \\r is shown as text", () => {
    const text = csvRows([["x\n=1+1", "a\r-2+3", "b\r\n@SUM(A1)", "plain"]]);
    expect(text).toBe('"x\n\'=1+1","a\r\'-2+3","b\r\n\'@SUM(A1)",plain\r\n');
    for (const line of text.split(/\r\n|\r|\n/)) {
      for (const piece of line.split(/[,;]/)) expect(piece.replace(/^"/, ""), JSON.stringify(piece)).not.toMatch(/^[ \t]*[=+\-@]/);
    }
  });

  it("a plain multi-line note keeps its text, only quoted", () => {
    expect(neutraliseFormulas("first line\nsecond line")).toBe("first line\nsecond line");
    expect(csvRows([["first line\nsecond line"]])).toBe('"first line\nsecond line"\r\n');
  });
});
