// A scanned OCOP certificate is a producer's document: its members, admins, and the
// inspectors of the producer's own provinces may read it, always as a download that
// cannot run as a page of this site.
import { prisma } from "~/db.server";
import { storeDocument } from "~/domain/files/uploads.server";
import * as certFile from "./certificates.$certificateId.file";
import { args, cookieFor, createProducer, createProductWithBatch, createUser, get, statusOf } from "../../test/helpers";

async function inspectorOf(...provinces: string[]) {
  const user = await createUser(["INSPECTOR"], `Thanh tra ${provinces.join(",")}`);
  for (const provinceCode of provinces) await prisma.inspectorRegion.create({ data: { userId: user.id, provinceCode } });
  return cookieFor(user.id);
}

describe("a certificate file", () => {
  let certId: string;
  let owner: string;

  beforeAll(async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Thái Nguyên"); // province 19
    const { product } = await createProductWithBatch(producer.id, "CF-1");
    const fileKey = await storeDocument(Buffer.from("%PDF-1.4\n<script>alert(1)</script>\n%%EOF\n"), "application/pdf");
    const cert = await prisma.ocopCertificate.create({
      data: {
        productId: product.id,
        stars: 3,
        scoreA: 25,
        scoreB: 15,
        scoreC: 15,
        totalScore: 55,
        level: "PROVINCE",
        authority: "UBND",
        decisionNumber: "1/QĐ",
        decisionDate: new Date("2025-01-01"),
        validUntil: new Date("2028-01-01"),
        fileKey,
        fileMimeType: "application/pdf",
      },
    });
    certId = cert.id;
    owner = await cookieFor(user.id);
  });

  const read = (cookie: string) => certFile.loader(args(get(`/certificates/${certId}/file`, cookie), { certificateId: certId }));

  it("is refused to an inspector of another province", async () => {
    const elsewhere = await inspectorOf("01");
    expect(await statusOf(() => read(elsewhere))).toBe(403);
  });

  it("is served to the OCOP officer whose office decides it (ADR 016), refused to another province's", async () => {
    const officerOf = async (provinceCode: string | null) => {
      const user = await createUser(["OCOP_OFFICER"]);
      await prisma.ocopOfficer.create({ data: { userId: user.id, provinceCode, officeName: `Văn phòng OCOP ${provinceCode ?? "TW"}` } });
      return cookieFor(user.id);
    };
    expect((await read(await officerOf("19"))).status).toBe(200);
    expect(await statusOf(() => officerOf("01").then(read))).toBe(403);
    // A province-level (3★) decision is not the central office's to check.
    expect(await statusOf(() => officerOf(null).then(read))).toBe(403);
  });

  it("is served to an inspector of the producer's province, the owner and an admin, as a sandboxed attachment", async () => {
    const admin = await cookieFor((await createUser(["ADMIN"])).id);
    for (const cookie of [await inspectorOf("01", "19"), owner, admin]) {
      const response = await read(cookie);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("application/pdf");
      expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="chung-nhan-ocop-${certId}.pdf"`);
      expect(response.headers.get("Content-Security-Policy")).toBe("sandbox; default-src 'none'");
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect((await response.text()).startsWith("%PDF-1.4")).toBe(true);
    }
  });
});
