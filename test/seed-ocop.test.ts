import { prisma } from "~/db.server";
import { seed } from "../prisma/seed";
import { officerQueue } from "~/domain/catalog/certificate-verification.server";
import { findProductForSale } from "~/domain/catalog/product-for-sale.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import { verifyWholeLog } from "~/domain/log/verify.server";

// The demo's certificates are verified through the officers' own path (ADR 016): each
// verification is a signed leaf, and one declared certificate waits in the Thái Nguyên queue.
describe("the demo's OCOP certificates", () => {
  beforeAll(async () => {
    await seed();
    await sequenceAll();
  }, 120_000);

  it("are verified by the office of their decision, signed and logged; one waits in the queue", async () => {
    const certs = await prisma.ocopCertificate.findMany({
      select: {
        id: true,
        stars: true,
        verification: true,
        verifierOffice: true,
        verificationSignature: true,
        product: { select: { name: true } },
      },
    });
    const byName = new Map(certs.map((c) => [c.product.name, c]));
    expect(byName.get("Chè búp Tân Cương")).toMatchObject({ verification: "VERIFIED", verifierOffice: "Sở NN&PTNT Thái Nguyên" });
    expect(byName.get("Nước mắm Phú Quốc 40 độ đạm")).toMatchObject({
      verification: "VERIFIED",
      verifierOffice: "Văn phòng Điều phối OCOP Trung ương",
    });
    expect(byName.get("Chè móc câu đặc biệt")).toMatchObject({ verification: "PENDING" });
    for (const c of certs.filter((c) => c.verification === "VERIFIED")) {
      expect(c.verificationSignature).toBeTruthy();
      expect(await prisma.logLeaf.count({ where: { type: "CertificateVerification", recordId: c.id } })).toBe(1);
    }
    const queue = await officerQueue({ provinceCode: "19", officeName: "Sở NN&PTNT Thái Nguyên" });
    expect(queue.certificates.map((c) => c.productName)).toEqual(["Chè móc câu đặc biệt"]);
    const tea = await prisma.product.findFirstOrThrow({ where: { name: "Chè búp Tân Cương" } });
    expect((await findProductForSale(tea.id))?.badge).toMatchObject({ stars: 4, verifiedBy: "Sở NN&PTNT Thái Nguyên" });
    const pending = await prisma.product.findFirstOrThrow({ where: { name: "Chè móc câu đặc biệt" } });
    expect((await findProductForSale(pending.id))?.badge).toBeNull();
    expect(await verifyWholeLog()).toMatchObject({ ok: true, problems: [] });
  });
});
