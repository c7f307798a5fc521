import { foldVietnamese, oneEditAway, productSearchText, searchTerms, suggestQuery } from "./search";

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
    const text = productSearchText({
      productName: "Nước mắm Phú Quốc 40 độ đạm",
      producerName: "HTX Nước mắm Hưng Thành",
      provinceName: "An Giang",
    });
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

describe("one typo away", () => {
  it("forgives a swapped pair, a missing letter and an extra letter, never two", () => {
    expect(oneEditAway("mma", "mam")).toBe(true); // swapped
    expect(oneEditAway("nuc", "nuoc")).toBe(true); // missing
    expect(oneEditAway("mamm", "mam")).toBe(true); // extra
    expect(oneEditAway("cuomg", "cuong")).toBe(true); // one wrong letter, in a longer word
    expect(oneEditAway("mab", "mam")).toBe(false); // a wrong letter in a short word is another word
    expect(oneEditAway("nhxx", "nhan")).toBe(false);
    expect(oneEditAway("mam", "mam")).toBe(false); // not a typo at all
    expect(oneEditAway("amn", "mam")).toBe(false); // two moves
  });

  it("says what the shopper probably meant, in the words of the product found, accents and all", () => {
    const found = {
      name: "Nước mắm Phú Quốc 40 độ đạm",
      producerName: "Công ty TNHH Nước mắm Phú Quốc Hưng Thịnh",
      provinceName: "An Giang",
    };
    expect(suggestQuery(searchTerms("nuoc mma"), found)).toBe("nước mắm");
    expect(suggestQuery(searchTerms("nươc mma phu"), found)).toBe("nước mắm phú");
    expect(suggestQuery(searchTerms("mam an giag"), found)).toBe("mắm an giang");
    // Nothing to correct: no suggestion.
    expect(suggestQuery(searchTerms("nuoc mam"), found)).toBeNull();
  });
});
