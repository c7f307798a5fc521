import { e2eDb, expect, test } from "./fixtures";

// The GS1 resolver through the real server: /01/{gtin} is a Remix page, so its machine answers
// come from the server before Remix, and its page view must stay the page.

async function seededGtinAndLot(): Promise<{ gtin: string; lot: string }> {
  const db = await e2eDb();
  try {
    return await db.one(
      `SELECT p."gtin", b."lotCode" AS "lot" FROM "Product" p JOIN "Batch" b ON b."productId" = p."id" JOIN "TraceCode" c ON c."batchId" = b."id" AND c."kind" = 'BATCH' WHERE p."gtin" IS NOT NULL LIMIT 1`,
      [],
    );
  } finally {
    await db.close();
  }
}

test("a product's Digital Link: the page for a browser, the linkset for an app, a 307 for a linkType", async ({ request, page }) => {
  const { gtin, lot } = await seededGtinAndLot();
  const html = await page.goto(`/01/${gtin}`);
  expect(html?.status()).toBe(200);
  expect(await html?.headerValue("link")).toContain(`/01/${gtin}?linkType=linkset>; rel="linkset"`);

  const linkset = await request.get(`/01/${gtin}`, { headers: { Accept: "application/linkset+json" } });
  expect(linkset.status()).toBe(200);
  expect(linkset.headers()["content-type"]).toBe("application/linkset+json");
  const body = (await linkset.json()) as { linkset: { anchor: string }[] };
  expect(body.linkset[0]!.anchor).toMatch(new RegExp(`/01/${gtin}$`));

  const pip = await request.get(`/01/${gtin}?linkType=gs1:pip`, { maxRedirects: 0 });
  expect(pip.status()).toBe(307);
  expect(pip.headers()["location"]).toMatch(/\/products\/[a-z0-9]+$/);

  const lotLinks = await request.get(`/01/${gtin}/10/${encodeURIComponent(lot)}?linkType=linkset`);
  expect(lotLinks.status()).toBe(200);
  expect(Object.keys(((await lotLinks.json()) as { linkset: object[] }).linkset[0]!)).toContain("https://gs1.org/voc/epcis");

  const description = await request.get("/.well-known/gs1resolver");
  expect(((await description.json()) as { supportedPrimaryKeys: string[] }).supportedPrimaryKeys).toEqual(["01"]);
});
