import { prisma } from "~/db.server";
import { listProvinces } from "~/domain/address/address.server";
import { createProducer } from "../../../test/helpers";
import { createProduct } from "./product.server";
import { forgetStorefrontCaches } from "./storefront-cache.server";
import { newestProducts, PAGE_SIZE, provincesWithProducts, searchProducts, storefrontQuery } from "./storefront-search.server";

// The storefront on PostgreSQL: products made through the app (createProduct writes the
// folded search text as the app does), searched through the real SQL.

const provinceCode = (name: string) => listProvinces().find((p) => p.name === name)!.code;
const search = (q: Record<string, string | number>) => searchProducts(storefrontQuery.parse(q));
const names = (result: { products: { name: string }[] }) => result.products.map((p) => p.name);

let day = 0;
/** A listed product of a new producer in `province`, harvested `day` days into 2026 (later = newer). */
async function product(
  name: string,
  opts: { producer?: string; province?: string; group?: number; status?: "APPROVED" | "SUSPENDED" } = {},
) {
  const { user, producer } = await createProducer(opts.status ?? "APPROVED", opts.producer ?? "Hộ kinh doanh Lò Văn Páo");
  if (opts.province) await prisma.producer.update({ where: { id: producer.id }, data: { provinceCode: provinceCode(opts.province) } });
  const made = await createProduct(
    producer.id,
    { name, ocopGroup: opts.group ?? 1, unit: "kg", priceVnd: 100_000, description: "" },
    user.id,
  );
  day += 1;
  await prisma.product.update({ where: { id: made.id }, data: { latestBatchAt: new Date(Date.UTC(2026, 0, day)) } });
  return made;
}

describe("storefront search", () => {
  beforeAll(async () => {
    await product("Nước mắm Phú Quốc 40 độ đạm", { producer: "HTX Nước mắm Hưng Thành", province: "An Giang" });
    await product("Chè búp Tân Cương", { producer: "HTX Chè Tân Cương", province: "Thái Nguyên", group: 2 });
    await product("Mật ong hoa nhãn", { producer: "Hộ kinh doanh Đỗ Thị Yến", province: "Hưng Yên" });
    await product("Nước mắm của người bán bị khóa", { status: "SUSPENDED" });
  });

  it("matches with or without accents, by word start", async () => {
    expect(names(await search({ q: "nuoc mam" }))).toEqual(["Nước mắm Phú Quốc 40 độ đạm"]);
    expect(names(await search({ q: "NƯỚC MẮM" }))).toEqual(["Nước mắm Phú Quốc 40 độ đạm"]);
    expect(names(await search({ q: "phú quoc" }))).toEqual(["Nước mắm Phú Quốc 40 độ đạm"]);
    expect(names(await search({ q: "che tan cuong" }))).toEqual(["Chè búp Tân Cương"]);
    expect(names(await search({ q: "tha nguy" }))).toEqual(["Chè búp Tân Cương"]); // prefixes of the province's words
    expect(names(await search({ q: "oc mam" }))).toEqual([]); // inside a word is not a word start
    // …but a word that lacks only its first letter is a typo of it, forgiven and named.
    expect(await search({ q: "uoc mam" })).toMatchObject({ products: [{ name: "Nước mắm Phú Quốc 40 độ đạm" }], suggestion: "nước mắm" });
  });

  it("forgives one typo in a word of four letters or more", async () => {
    expect(names(await search({ q: "nuoc mamm" }))).toEqual(["Nước mắm Phú Quốc 40 độ đạm"]);
    expect(names(await search({ q: "che tan cuomg" }))).toEqual(["Chè búp Tân Cương"]);
    expect(names(await search({ q: "mat ong hoa nhxx" }))).toEqual([]); // two letters wrong
    expect(names(await search({ q: "nuoc mab" }))).toEqual([]); // a wrong letter in three: another word, not a typo
    // A typo that is itself a word elsewhere ("vành") is forgiven too when the words find nothing together.
    await product("Gạo nếp cái hoa vàng", { producer: "HTX Nông nghiệp Kinh Môn", province: "Thành phố Hải Phòng" });
    await product("Bánh vành khuyên", { producer: "Hộ kinh doanh Trần Thị Mai", province: "Ninh Bình" });
    expect(names(await search({ q: "gao nep vanh" }))).toEqual(["Gạo nếp cái hoa vàng"]);
    expect(names(await search({ q: "vanh" }))).toEqual(["Bánh vành khuyên"]); // found as typed: no near-misses
  });

  it("forgives a swapped pair, a missing or an extra letter even in short words, and says what it searched for", async () => {
    for (const q of ["nuoc mma", "nuc mam", "nuoc mamm", "nươc mam", "nuoc mma phu quoc"]) {
      const found = await search({ q });
      expect([q, names(found)[0]]).toEqual([q, "Nước mắm Phú Quốc 40 độ đạm"]);
    }
    expect((await search({ q: "nuoc mma" })).suggestion).toBe("nước mắm");
    expect((await search({ q: "nuc mam" })).suggestion).toBe("nước mắm");
    // Found as typed: nothing to suggest.
    expect((await search({ q: "nuoc mam" })).suggestion).toBeNull();
    expect((await search({ q: "nươc mam" })).suggestion).toBeNull();
    // Nothing near at all: no products, no suggestion.
    expect(await search({ q: "xyzqw" })).toMatchObject({ products: [], suggestion: null });
  });

  it("lists products named for the words before other products of a producer named for them", async () => {
    // Like the demo's Phú Quốc fish-sauce company: its pepper and rice wine are newer harvests.
    await product("Nước mắm cá cơm", { producer: "Công ty TNHH Nước mắm Hòn Thơm", province: "An Giang" });
    const company = await prisma.producer.findFirstOrThrow({ where: { name: "Công ty TNHH Nước mắm Hòn Thơm" } });
    const owner = await prisma.producerMember.findFirstOrThrow({ where: { producerId: company.id } });
    for (const name of ["Tiêu đen Hòn Thơm", "Rượu sim Hòn Thơm"]) {
      const made = await createProduct(company.id, { name, ocopGroup: 1, unit: "kg", priceVnd: 90_000, description: "" }, owner.userId);
      day += 1;
      await prisma.product.update({ where: { id: made.id }, data: { latestBatchAt: new Date(Date.UTC(2026, 0, day)) } });
    }
    for (const q of ["nước mắm", "nuoc mma"]) {
      const found = names(await search({ q }));
      const named = found.filter((n) => n.startsWith("Nước mắm"));
      expect([q, found.slice(0, named.length)]).toEqual([q, named]);
      expect(found).toContain("Tiêu đen Hòn Thơm"); // still found, after them
    }
  });

  it("finds nothing for words that match nothing", async () => {
    for (const q of ["xyzqw", "nuoc xyzqw", "qqqq zzzz"]) expect(await search({ q })).toMatchObject({ products: [], total: 0, pages: 1 });
  });

  it("ranks a match in the name before one in the producer before one in the province, then the newest", async () => {
    // Oldest first, so that only the score can put them in this order.
    await product("Gạo Điện Biên", { producer: "HTX Mường Thanh", province: "Lai Châu" });
    await product("Gạo nếp nương", { producer: "HTX Điện Biên Xanh", province: "Sơn La" });
    await product("Gạo tẻ", { producer: "Hộ kinh doanh Lò Văn Páo", province: "Điện Biên" });
    await product("Gạo đỏ Điện Biên", { producer: "HTX Mường Lay", province: "Lai Châu" });
    expect(names(await search({ q: "dien bien" }))).toEqual(["Gạo đỏ Điện Biên", "Gạo Điện Biên", "Gạo nếp nương", "Gạo tẻ"]);
    // One word in the name outranks both words in the producer's name.
    await product("Gạo Biên Hòa", { producer: "HTX Điện Biên Đông", province: "Đồng Nai" });
    expect(names(await search({ q: "dien bien" }))[2]).toBe("Gạo Biên Hòa");
    // Typo matches rank by place the same way.
    expect(names(await search({ q: "dienn bien" })).slice(0, 2)).toEqual(["Gạo đỏ Điện Biên", "Gạo Điện Biên"]);
  });

  it("keeps the filters with a query", async () => {
    await product("Chè xanh Thái Nguyên", { producer: "HTX Chè La Bằng", province: "Thái Nguyên", group: 2 });
    await product("Bánh chè lam", { producer: "Hộ kinh doanh Hà Thị Lam", province: "Thái Nguyên", group: 1 });
    const thaiNguyen = provinceCode("Thái Nguyên");
    expect(names(await search({ q: "che", province: thaiNguyen, group: 2 })).sort()).toEqual(["Chè búp Tân Cương", "Chè xanh Thái Nguyên"]);
    expect(names(await search({ q: "che", group: 1 }))).toEqual(["Bánh chè lam"]);
    expect(names(await search({ q: "che", province: provinceCode("An Giang") }))).toEqual([]);

    const certified = await product("Chè Shan tuyết", { producer: "HTX Suối Giàng", province: "Lào Cai", group: 2 });
    const expired = await product("Chè Shan tuyết cổ thụ", { producer: "HTX Suối Giàng Hai", province: "Lào Cai", group: 2 });
    const declared = await product("Chè Shan tuyết tự khai", { producer: "HTX Suối Giàng Ba", province: "Lào Cai", group: 2 });
    // Verified by an OCOP officer (ADR 016); the third is only the producer's claim: no star.
    const cert = {
      scoreA: 35,
      scoreB: 20,
      scoreC: 25,
      totalScore: 80,
      level: "PROVINCE" as const,
      authority: "UBND tỉnh",
      decisionNumber: "1/QĐ",
      decisionDate: new Date("2025-01-01"),
      verification: "VERIFIED" as const,
    };
    await prisma.ocopCertificate.create({ data: { ...cert, productId: certified.id, stars: 4, validUntil: new Date("2099-01-01") } });
    await prisma.ocopCertificate.create({ data: { ...cert, productId: expired.id, stars: 4, validUntil: new Date("2025-06-01") } });
    await prisma.ocopCertificate.create({
      data: { ...cert, productId: declared.id, stars: 4, validUntil: new Date("2099-01-01"), verification: "PENDING" },
    });
    const fourStars = await search({ q: "shan tuyet", stars: 4 });
    expect(names(fourStars)).toEqual(["Chè Shan tuyết"]);
    expect(fourStars.products[0]).toMatchObject({ stars: 4, provinceName: "Lào Cai", producer: { name: "HTX Suối Giàng" } });
    expect(names(await search({ q: "shan tuyet", stars: 5 }))).toEqual([]);
  });

  it("counts every match and pages through them", async () => {
    const many = PAGE_SIZE + 5;
    for (let i = 1; i <= many; i++) await product(`Bưởi da xanh số ${i}`, { producer: "HTX Bưởi Tân Triều", province: "Đồng Nai" });
    const first = await search({ q: "buoi da xanh" });
    expect(first).toMatchObject({ total: many, pages: 2 });
    expect(first.products).toHaveLength(PAGE_SIZE);
    expect(first.products[0]!.name).toBe(`Bưởi da xanh số ${many}`); // same score: newest harvest first
    const second = await search({ q: "buoi da xanh", page: 2 });
    expect(second).toMatchObject({ total: many, pages: 2 });
    expect(second.products.map((p) => p.name)).toEqual([5, 4, 3, 2, 1].map((i) => `Bưởi da xanh số ${i}`));
    // Past the last page: nothing to show, the total still right.
    expect(await search({ q: "buoi da xanh", page: 3 })).toMatchObject({ products: [], total: many, pages: 2 });
    // Without a query: everything on sale (the suspended producer's product is not), newest first.
    forgetStorefrontCaches();
    const all = await prisma.product.count({ where: { listingStatus: "LISTED", producer: { status: "APPROVED" } } });
    const everything = await search({});
    expect(everything.total).toBe(all);
    expect(everything.products[0]!.name).toBe(`Bưởi da xanh số ${many}`);
    expect((await search({ page: 2 })).products[0]!.name).toBe(`Bưởi da xanh số ${many - PAGE_SIZE}`);
    expect((await newestProducts(3)).map((p) => p.name)).toEqual([many, many - 1, many - 2].map((i) => `Bưởi da xanh số ${i}`));
  });
});

describe("provinces with products on sale", () => {
  it("lists each province that has a listed product of an approved producer, and keeps the list a minute", async () => {
    forgetStorefrontCaches();
    const before = (await provincesWithProducts()).map((p) => p.code);
    await product("Miến dong Nguyên Bình", { producer: "HTX Miến dong Nguyên Bình", province: "Cao Bằng" });
    expect(before).not.toContain(provinceCode("Cao Bằng"));
    await product("Cam Vinh", { producer: "HTX bị khóa", province: "Nghệ An", status: "SUSPENDED" });
    // Still the list of a moment ago…
    expect((await provincesWithProducts()).map((p) => p.code)).toEqual(before);
    // …until it runs out.
    const later = (await provincesWithProducts(Date.now() + 61_000)).map((p) => p.code);
    expect(later).toContain(provinceCode("Cao Bằng"));
    expect(later).not.toContain(provinceCode("Nghệ An"));
    expect(later).toEqual(
      listProvinces()
        .map((p) => p.code)
        .filter((c) => later.includes(c)),
    ); // in the address list's order
  });
});
