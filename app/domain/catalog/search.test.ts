import { foldVietnamese, productSearchText, searchTerms } from "./search";

describe("accent-folding search", () => {
  it("folds Vietnamese to plain lower-case ASCII", () => {
    expect(foldVietnamese("Nước mắm Phú Quốc")).toBe("nuoc mam phu quoc");
    expect(foldVietnamese("Chè Thái Nguyên")).toBe("che thai nguyen");
    expect(foldVietnamese("ĐẶC SẢN Đắk Lắk")).toBe("dac san dak lak");
    expect(foldVietnamese("  Gạo   ST25, loại 1! ")).toBe("gao st25 loai 1");
    // Precomposed and decomposed forms fold the same.
    expect(foldVietnamese("Tuy\u00ean Quang")).toBe(foldVietnamese("Tuye\u0302n Quang"));
  });

  it("matches with or without diacritics, by word start", () => {
    const text = productSearchText({ productName: "Nước mắm Phú Quốc 40 độ đạm", producerName: "HTX Nước mắm Hưng Thành", provinceName: "An Giang" });
    const matches = (q: string) => searchTerms(q).every((term) => text.includes(` ${term}`));
    expect(matches("nuoc mam")).toBe(true);
    expect(matches("NƯỚC MẮM")).toBe(true);
    expect(matches("phu quoc an giang")).toBe(true);
    expect(matches("mam")).toBe(true);
    expect(matches("uoc")).toBe(false); // inside a word, not a word start
    expect(matches("che thai nguyen")).toBe(false);
    expect(searchTerms("")).toEqual([]);
  });
});
