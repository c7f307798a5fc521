// The product list with a typo: found anyway, "did you mean" as a link, and that link finds the product first.
import { prisma } from "~/db.server";
import { createProduct } from "~/domain/catalog/product.server";
import { forgetStorefrontCaches } from "~/domain/catalog/storefront-cache.server";
import { args, createProducer, get } from "../../test/helpers";
import * as products from "./products._index";

describe("/products?q= with a typo", () => {
  beforeAll(async () => {
    const { user, producer } = await createProducer("APPROVED", "Công ty TNHH Nước mắm Phú Quốc Hưng Thịnh");
    let day = 0;
    for (const name of ["Nước mắm Phú Quốc 40 độ đạm", "Tiêu đen Phú Quốc", "Rượu sim Phú Quốc"]) {
      const made = await createProduct(producer.id, { name, ocopGroup: 1, unit: "chai", priceVnd: 100_000, description: "" }, user.id);
      day += 1; // the pepper and the wine are the newer harvests
      await prisma.product.update({ where: { id: made.id }, data: { latestBatchAt: new Date(Date.UTC(2026, 0, day)) } });
    }
    forgetStorefrontCaches();
  });

  it("offers 'did you mean' for `nuoc mma`, and the suggestion lists the fish sauce first", async () => {
    const typo = await products.loader(args(get("/products?q=nuoc+mma")));
    expect(typo.suggestion).toBe("nước mắm");
    expect(typo.products[0]?.name).toBe("Nước mắm Phú Quốc 40 độ đạm");
    const meant = await products.loader(args(get(`/products?q=${encodeURIComponent(typo.suggestion!)}`)));
    expect(meant.suggestion).toBeNull();
    expect(meant.products.map((p) => p.name)).toEqual(["Nước mắm Phú Quốc 40 độ đạm", "Rượu sim Phú Quốc", "Tiêu đen Phú Quốc"]);
  });
});
