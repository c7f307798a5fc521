import { prisma } from "~/db.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { producerDashboard } from "./dashboard.server";
import { validUntil } from "./certificate";
import { createProducer, createProductWithBatch } from "../../../test/helpers";

describe("producer dashboard", () => {
  it("counts scans per batch per day over 30 days and warns about expiring certificates", async () => {
    const now = new Date("2026-11-22T05:00:00Z"); // noon in Vietnam
    const { user, producer } = await createProducer();
    const { product, batch } = await createProductWithBatch(producer.id);
    const code = await issueBatchCode(batch.id, user.id);
    const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
    await prisma.scan.createMany({ data: [0, 0, 0, 1, 29, 31].map((d) => ({ codeId: code.id, scannedAt: at(d) })) });
    await prisma.ocopCertificate.create({
      data: {
        productId: product.id,
        stars: 4,
        scoreA: 30,
        scoreB: 20,
        scoreC: 25,
        totalScore: 75,
        level: "PROVINCE",
        authority: "UBND",
        decisionNumber: "9/QĐ",
        decisionDate: new Date("2023-12-10"),
        validUntil: validUntil(new Date("2023-12-10")),
        verification: "VERIFIED",
      },
    });
    const { products, warnings } = await producerDashboard(producer.id, now);
    const series = products[0]!.batches[0]!.scans;
    expect(series).toHaveLength(30);
    expect(series[29]).toBe(3); // today
    expect(series[28]).toBe(1);
    expect(series[0]).toBe(1); // 29 days ago; 31 days ago is outside the window
    expect(series.reduce((a, n) => a + n, 0)).toBe(5);
    expect(warnings).toMatchObject([{ productId: product.id, days: 30 }]);
    expect(products[0]!.certificates[0]!.status).toBe("ACTIVE");
  });
});
