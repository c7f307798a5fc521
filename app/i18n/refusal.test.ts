import fs from "node:fs";
import path from "node:path";
import { readRefusal, refusal } from "./refusal";
import { translator } from "./translate";

describe("refusals", () => {
  it("carry their parameters to the translator, worded as before", () => {
    expect(translator("en")(refusal("checkout.onlyLeft", { n: "Chè Thái", m: 2 }))).toBe(
      "Only 2 of Chè Thái left. Nothing was taken; please lower the quantity.",
    );
    expect(translator("vi")(refusal("error.tooLong", { n: 120 }))).toBe("Dài quá, tối đa 120 ký tự.");
    expect(translator("en")(refusal("cart.soldOut"))).toBe(translator("en")("cart.soldOut"));
  });

  it("read back into their key and parameters", () => {
    expect(readRefusal(refusal("order.illegalMove", { n: "CONFIRMED", m: "DELIVERED" }))).toEqual({
      code: "order.illegalMove",
      params: { n: "CONFIRMED", m: "DELIVERED" },
    });
    expect(readRefusal("cart.soldOut")).toEqual({ code: "cart.soldOut", params: {} });
  });

  it("are checked against their message when they are made", () => {
    // Each line below must fail to type-check (tsc runs over test files too).
    // @ts-expect-error the message takes {n} and {m}
    refusal("checkout.onlyLeft", { n: "Chè Thái" });
    // @ts-expect-error no such message
    refusal("checkout.noSuchMessage");
    // @ts-expect-error the message takes no parameter
    refusal("cart.soldOut", { n: 1 });
  });

  it("are made by `refusal` only: no module spells a key and its parameter by hand", () => {
    const handMade: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
          const source = fs.readFileSync(file, "utf8");
          // "error.tooLong|120" or `checkout.onlyLeft|${name}|${left}`
          for (const m of source.matchAll(/["`][a-z][a-zA-Z]*\.[a-zA-Z.]+\|/g)) handMade.push(`${file}: ${m[0]}`);
        }
      }
    };
    walk("app");
    expect(handMade).toEqual([]);
  });
});
