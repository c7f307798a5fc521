import { prisma } from "~/db.server";
import { insertBatch } from "./batch.server";
import { createProducer } from "../../../test/helpers";
import { createProduct } from "./product.server";
import { validUntil } from "./certificate";
import { forgetStorefrontCaches } from "./storefront-cache.server";
import { effectiveSort, searchProducts, storefrontQuery } from "./storefront-search.server";

// Sorting and the "4★ trở lên" / "Còn hàng" filters on PostgreSQL, through the real SQL.

const search = (q: Record<string, string | number>) => searchProducts(storefrontQuery.parse(q));
const names = (result: { products: { name: string }[] }) => result.products.map((p) => p.name);

let day = 0;
async function product(
  name: string,
  opts: {
    price: number;
    stars?: number;
    verification?: "VERIFIED" | "PENDING" | "REJECTED";
    revoked?: boolean;
    lot?: "ACTIVE" | "ON_HOLD" | "RECALLED" | "EMPTY";
  },
) {
  const { user, producer } = await createProducer("APPROVED", `HTX ${name}`);
  const made = await createProduct(producer.id, { name, ocopGroup: 1, unit: "kg", priceVnd: opts.price, description: "" }, user.id);
  day += 1;
  await prisma.product.update({ where: { id: made.id }, data: { latestBatchAt: new Date(Date.UTC(2026, 0, day)) } });
  if (opts.stars) {
    const decided = new Date("2025-06-01");
    await prisma.ocopCertificate.create({
      data: {
        productId: made.id,
        stars: opts.stars,
        scoreA: 30,
        scoreB: 20,
        scoreC: 25,
        totalScore: 75,
        level: opts.stars === 5 ? "CENTRAL" : "PROVINCE",
        authority: "UBND",
        decisionNumber: `${day}/QĐ`,
        decisionDate: decided,
        validUntil: validUntil(decided),
        verification: opts.verification ?? "VERIFIED",
        revokedAt: opts.revoked ? new Date("2026-01-01") : null,
      },
    });
  }
  if (opts.lot) {
    const stock = opts.lot === "EMPTY" ? 0 : 10;
    const status = opts.lot === "EMPTY" ? "DEPLETED" : opts.lot;
    await prisma.$transaction((tx) =>
      insertBatch(tx, { productId: made.id, lotCode: `L${day}`, producedAt: new Date("2026-10-01"), quantity: 10, stock }),
    );
    await prisma.batch.updateMany({ where: { productId: made.id }, data: { status, stock } });
  }
  return made;
}

describe("storefront sorting and filters", () => {
  beforeAll(async () => {
    // Harvest order (oldest → newest): Mắm A, Mắm B, Mắm C, Mắm D, Mắm E, Mắm F.
    await product("Mắm A", { price: 50_000, stars: 3, lot: "ACTIVE" });
    await product("Mắm B", { price: 90_000, stars: 5, lot: "ON_HOLD" });
    await product("Mắm C", { price: 20_000, stars: 5, verification: "PENDING", lot: "ACTIVE" });
    await product("Mắm D", { price: 70_000, stars: 4, lot: "RECALLED" });
    await product("Mắm E", { price: 30_000, stars: 4, revoked: true, lot: "EMPTY" });
    await product("Mắm F", { price: 60_000, stars: 4, lot: "ACTIVE" });
    forgetStorefrontCaches();
  });

  it("orders by newest harvest without a query, and by relevance with one, unless told", () => {
    expect(effectiveSort(storefrontQuery.parse({}))).toBe("newest");
    expect(effectiveSort(storefrontQuery.parse({ q: "mam" }))).toBe("relevance");
    expect(effectiveSort(storefrontQuery.parse({ sort: "relevance" }))).toBe("newest");
    expect(effectiveSort(storefrontQuery.parse({ q: "mam", sort: "priceAsc" }))).toBe("priceAsc");
    // Anything else is the default, never an error.
    expect(effectiveSort(storefrontQuery.parse({ sort: "'; DROP TABLE" }))).toBe("newest");
    expect(storefrontQuery.parse({ sort: ["stars", "x"], fourStars: "yes", inStock: "2" })).toMatchObject({
      sort: undefined,
      fourStars: undefined,
      inStock: undefined,
    });
  });

  it("sorts by newest harvest, price up and price down", async () => {
    expect(names(await search({}))).toEqual(["Mắm F", "Mắm E", "Mắm D", "Mắm C", "Mắm B", "Mắm A"]);
    expect(names(await search({ sort: "priceAsc" }))).toEqual(["Mắm C", "Mắm E", "Mắm A", "Mắm F", "Mắm D", "Mắm B"]);
    expect(names(await search({ sort: "priceDesc" }))).toEqual(["Mắm B", "Mắm D", "Mắm F", "Mắm A", "Mắm E", "Mắm C"]);
    // The same orders with a query.
    expect(names(await search({ q: "mam", sort: "priceAsc" }))).toEqual(["Mắm C", "Mắm E", "Mắm A", "Mắm F", "Mắm D", "Mắm B"]);
    expect(names(await search({ q: "mam", sort: "priceDesc" }))).toEqual(["Mắm B", "Mắm D", "Mắm F", "Mắm A", "Mắm E", "Mắm C"]);
  });

  it("sorts by stars from verified, unrevoked certificates only, newest first among equals", async () => {
    // C's 5★ is only claimed (pending), E's 4★ is revoked: both count as no star.
    const expected = ["Mắm B", "Mắm F", "Mắm D", "Mắm A", "Mắm E", "Mắm C"];
    expect(names(await search({ sort: "stars" }))).toEqual(expected);
    expect(names(await search({ q: "mam", sort: "stars" }))).toEqual(expected);
  });

  it("keeps to four stars and more, verified only", async () => {
    expect(names(await search({ fourStars: "1" }))).toEqual(["Mắm F", "Mắm D", "Mắm B"]);
    expect((await search({ fourStars: "1" })).total).toBe(3);
    expect(names(await search({ q: "mam", fourStars: "1", sort: "priceAsc" }))).toEqual(["Mắm F", "Mắm D", "Mắm B"]);
  });

  it("keeps to products in stock: a lot that sells now, not held, recalled or sold out", async () => {
    expect(names(await search({ inStock: "1" }))).toEqual(["Mắm F", "Mắm C", "Mắm A"]);
    expect((await search({ inStock: "1" })).products.every((p) => p.inStock)).toBe(true);
    expect(names(await search({ inStock: "1", fourStars: "1" }))).toEqual(["Mắm F"]);
    expect(names(await search({ q: "mam", inStock: "1", sort: "priceDesc" }))).toEqual(["Mắm F", "Mắm A", "Mắm C"]);
  });
});
