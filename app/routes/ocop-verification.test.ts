// OCOP stars are awarded by a council and published in a decision (ADR 016); a seller
// must not be able to award them. A certificate a producer adds is pending until an OCOP
// officer of the issuing province (central decisions: a central officer or an admin)
// verifies it against the decision document. Until then nothing public shows a star.
import { prisma } from "~/db.server";
import { addCertificate } from "~/domain/catalog/certificate.server";
import { forgetStorefrontCaches } from "~/domain/catalog/storefront-cache.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { verify as verifySignature } from "~/domain/keys/signing-keys.server";
import { certificateVerificationRecord } from "~/domain/log/leaves.server";
import * as home from "./_index";
import * as productList from "./products._index";
import * as productPage from "./products.$productId";
import * as producerPage from "./producers.$producerId";
import * as trace from "./t.$code._index";
import * as apiProduct from "./api.v1.products.$id";
import * as apiProducts from "./api.v1.products._index";
import * as apiTrace from "./api.v1.trace.$code";
import * as epcis from "./api.v1.batches.$id.epcis";
import * as queue from "./officer._index";
import * as decide from "./officer.certificates.$certificateId";
import * as producerProduct from "./producer.products.$productId._index";
import * as admin from "./admin._index";
import {
  addProductPhoto,
  args,
  asAttacker,
  cookieFor,
  createProducer,
  createProductWithBatch,
  createUser,
  get,
  payload,
  post,
  statusOf,
} from "../../test/helpers";

const CENTRAL_5 = {
  stars: 5,
  scoreA: 38,
  scoreB: 23,
  scoreC: 31,
  totalScore: 92,
  level: "CENTRAL" as const,
  authority: "Bộ NN&PTNT",
  decisionNumber: "9999/QĐ-BNN",
  decisionDate: new Date("2026-03-01"),
};
const PROVINCE_4 = {
  stars: 4,
  scoreA: 33,
  scoreB: 20,
  scoreC: 28,
  totalScore: 81,
  level: "PROVINCE" as const,
  authority: "UBND tỉnh Thái Nguyên",
  decisionNumber: "8888/QĐ-UBND",
  decisionDate: new Date("2026-02-01"),
};

let seq = 0;
/** A listed product (province 19, Thái Nguyên) with a lot on sale, a trace code and a self-declared certificate. */
async function declared(cert: typeof CENTRAL_5 | typeof PROVINCE_4) {
  seq += 1;
  const name = `Miến dong Xác Minh ${seq}`;
  const { user, producer } = await createProducer("APPROVED", `HTX Xác Minh ${seq}`);
  const { product, batch } = await createProductWithBatch(producer.id, `XM-${seq}`);
  await prisma.product.update({
    where: { id: product.id },
    data: { name, searchText: `mien dong xac minh ${seq}`, latestBatchAt: new Date() },
  });
  const code = await issueBatchCode(batch.id, user.id);
  // A photo, so the product page carries its Product JSON-LD (which could name the stars).
  await addProductPhoto(product.id);
  const created = await addCertificate(product.id, { ...cert, decisionNumber: `${seq}-${cert.decisionNumber}` }, null);
  return { user, producer, product: { ...product, name }, batch, code: code.code, cert: created };
}

async function officer(provinceCode: string | null, officeName: string) {
  const user = await createUser(["OCOP_OFFICER"], `Cán bộ ${officeName}`);
  await prisma.ocopOfficer.create({ data: { userId: user.id, provinceCode, officeName } });
  return { user, cookie: await cookieFor(user.id) };
}

const json = async (r: unknown) => (r as Response).json() as Promise<Record<string, unknown>>;

/** Every public place a star could show, for one product. */
async function publicView(w: Awaited<ReturnType<typeof declared>>) {
  forgetStorefrontCaches();
  const q = encodeURIComponent(w.product.name);
  const list = payload<{ products: { id: string; stars: number | null }[] }>(await productList.loader(args(get(`/products?q=${q}`))));
  const fiveStars = payload<{ products: { id: string }[] }>(await productList.loader(args(get(`/products?q=${q}&stars=5`))));
  const fourStars = payload<{ products: { id: string }[] }>(await productList.loader(args(get(`/products?q=${q}&stars=4`))));
  const homeCards = payload<{ products: { id: string; stars: number | null }[] }>(await home.loader(args(get("/"))));
  const page = payload<{ product: { badge: unknown; producer: { id: string } }; seo: { jsonLd: unknown } }>(
    await productPage.loader(args(get(`/products/${w.product.id}`), { productId: w.product.id })),
  );
  const producerId = page.product.producer.id;
  const producerSeo = payload<{ seo: { jsonLd: unknown } }>(
    await producerPage.loader(args(get(`/producers/${producerId}`), { producerId })),
  );
  // Stars in the JSON-LD and share tags search engines read (an award naming the decision).
  const starsIn = (seo: { jsonLd: unknown }) => JSON.stringify(seo).includes(w.cert.decisionNumber) || /OCOP \d/.test(JSON.stringify(seo));
  const traceHtml = await (await trace.loader(args(get(`/t/${w.code}`), { code: w.code }))).text();
  const one = await json(await apiProduct.loader(args(get(`/api/v1/products/${w.product.id}`), { id: w.product.id })));
  const traced = await json(await apiTrace.loader(args(get(`/api/v1/trace/${w.code}`), { code: w.code })));
  const epcisText = await (await epcis.loader(args(get(`/api/v1/batches/${w.batch.id}/epcis`), { id: w.batch.id }))).text();
  let listed: { id: string; ocop: unknown } | undefined;
  for (let page = 1; !listed && page <= 50; page++) {
    const all = await json(await apiProducts.loader(args(get(`/api/v1/products?province=19&pageSize=100&page=${page}`))));
    const items = all.items as { id: string; ocop: unknown }[];
    listed = items.find((p) => p.id === w.product.id);
    if (items.length < 100) break;
  }
  return {
    cardStars: list.products.find((p) => p.id === w.product.id)?.stars ?? null,
    homeStars: homeCards.products.find((p) => p.id === w.product.id)?.stars ?? null,
    inFiveStarFilter: fiveStars.products.some((p) => p.id === w.product.id),
    inFourStarFilter: fourStars.products.some((p) => p.id === w.product.id),
    pageBadge: page.product.badge,
    traceStars: traceHtml.includes("★"),
    traceOcop: /OCOP \d (sao|stars)/.test(traceHtml) || traceHtml.includes(w.cert.decisionNumber),
    traceHtml,
    apiOcop: one.ocop ?? null,
    apiListOcop: listed ? (listed.ocop ?? null) : "missing",
    apiTraceOcop: (traced.product as { ocop: unknown }).ocop,
    epcisMentions: epcisText.includes(w.cert.decisionNumber) || /"stars"/.test(epcisText),
    productJsonLdStars: starsIn(page.seo),
    producerJsonLdStars: starsIn(producerSeo.seo),
  };
}

const NOTHING = {
  cardStars: null,
  homeStars: null,
  inFiveStarFilter: false,
  inFourStarFilter: false,
  pageBadge: null,
  traceStars: false,
  traceOcop: false,
  apiOcop: null,
  apiListOcop: null,
  apiTraceOcop: null,
  epcisMentions: false,
  productJsonLdStars: false,
  producerJsonLdStars: false,
};
const { traceHtml: _omit, ...shape } = NOTHING as typeof NOTHING & { traceHtml?: string };

const decideAs = (cookie: string, certId: string, fields: Record<string, string>) =>
  decide.action(args(post(`/officer/certificates/${certId}`, fields, cookie), { certificateId: certId }));

describe("OCOP certificates are verified before any star shows", () => {
  it("a self-declared certificate shows no star anywhere public until an officer verifies it (and a rejected one never does)", async () => {
    const five = await declared(CENTRAL_5);
    const four = await declared(PROVINCE_4);
    const { traceHtml: _a, ...fiveBefore } = await publicView(five);
    const { traceHtml: _b, ...fourBefore } = await publicView(four);
    expect(fiveBefore).toEqual(shape);
    expect(fourBefore).toEqual(shape);

    // The central officer checks the 5★ decision and verifies it; Thái Nguyên's office rejects the 4★ one.
    const central = await officer(null, "Văn phòng Điều phối OCOP Trung ương");
    const thaiNguyen = await officer("19", "Sở NN&PTNT Thái Nguyên");
    expect(await statusOf(() => decideAs(central.cookie, five.cert.id, { outcome: "VERIFIED", checked: "on" }))).toBe(302);
    expect(
      await statusOf(() =>
        decideAs(thaiNguyen.cookie, four.cert.id, {
          outcome: "REJECTED",
          reason: "Số quyết định không có trong danh sách công bố của tỉnh",
        }),
      ),
    ).toBe(302);

    const { traceHtml, ...fiveAfter } = await publicView(five);
    expect(fiveAfter).toMatchObject({
      cardStars: 5,
      homeStars: 5,
      inFiveStarFilter: true,
      inFourStarFilter: false,
      pageBadge: { stars: 5 },
      traceStars: true,
      traceOcop: true,
      apiOcop: { stars: 5 },
      apiListOcop: { stars: 5 },
      apiTraceOcop: { stars: 5 },
      productJsonLdStars: true,
      producerJsonLdStars: true,
    });
    // The trace page names who vouched and when.
    expect(traceHtml).toContain("Văn phòng Điều phối OCOP Trung ương xác minh ngày");
    const { traceHtml: _c, ...fourAfter } = await publicView(four);
    expect(fourAfter).toEqual(shape);

    // The producer sees why, and the pending state on a new one.
    const pending = await addCertificate(four.product.id, { ...PROVINCE_4, decisionNumber: "7777/QĐ-UBND" }, null);
    const mine = payload<{ certificates: { id: string; status: string; verificationReason: string | null }[] }>(
      await producerProduct.loader(
        args(get(`/producer/products/${four.product.id}`, await cookieFor(four.user.id)), { productId: four.product.id }),
      ),
    );
    expect(mine.certificates.find((c) => c.id === four.cert.id)).toMatchObject({
      status: "REJECTED",
      verificationReason: "Số quyết định không có trong danh sách công bố của tỉnh",
    });
    expect(mine.certificates.find((c) => c.id === pending.id)).toMatchObject({ status: "PENDING" });
  });

  it("refuses the wrong user: a producer, an officer of another province, a province officer on a central decision", async () => {
    const five = await declared(CENTRAL_5);
    const four = await declared(PROVINCE_4);
    const producerCookie = await cookieFor(four.user.id);
    const hanoi = await officer("01", "Sở NN&PTNT Hà Nội");
    const thaiNguyen = await officer("19", "Sở NN&PTNT Thái Nguyên");
    const inspector = await createUser(["INSPECTOR"]);
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "19" } });
    const ok = { outcome: "VERIFIED", checked: "on" };
    expect(await statusOf(() => decideAs(producerCookie, four.cert.id, ok))).toBe(403);
    expect(await statusOf(async () => decideAs(await cookieFor(inspector.id), four.cert.id, ok))).toBe(403);
    expect(await statusOf(() => decideAs(hanoi.cookie, four.cert.id, ok))).toBe(403);
    expect(await statusOf(() => decideAs(thaiNguyen.cookie, five.cert.id, ok))).toBe(403);
    // An officer's queue holds only what they may decide: their province's, oldest first.
    const q = payload<{ certificates: { id: string }[] }>(await queue.loader(args(get("/officer", thaiNguyen.cookie))));
    expect(q.certificates.map((c) => c.id)).toContain(four.cert.id);
    expect(q.certificates.map((c) => c.id)).not.toContain(five.cert.id);
    expect(
      payload<{ certificates: { id: string }[] }>(await queue.loader(args(get("/officer", hanoi.cookie)))).certificates.map((c) => c.id),
    ).not.toContain(four.cert.id);
    expect(await statusOf(() => queue.loader(args(get("/officer", producerCookie))))).toBe(403);
    // Nothing changed.
    expect(
      await prisma.ocopCertificate.findMany({ where: { id: { in: [five.cert.id, four.cert.id] } }, select: { verification: true } }),
    ).toEqual([{ verification: "PENDING" }, { verification: "PENDING" }]);
    // A rejection needs a reason; verifying needs the officer's tick that the document was checked.
    expect(await statusOf(() => decideAs(thaiNguyen.cookie, four.cert.id, { outcome: "REJECTED", reason: "" }))).toBe(400);
    expect(await statusOf(() => decideAs(thaiNguyen.cookie, four.cert.id, { outcome: "VERIFIED" }))).toBe(400);
    // An admin may decide a central decision; the province's officer their own.
    const admin = await createUser(["ADMIN"]);
    expect(await statusOf(async () => decideAs(await cookieFor(admin.id), five.cert.id, ok))).toBe(302);
    expect(await statusOf(() => decideAs(thaiNguyen.cookie, four.cert.id, ok))).toBe(302);
    // Decided once: a second decision is refused.
    expect(await statusOf(() => decideAs(thaiNguyen.cookie, four.cert.id, { outcome: "REJECTED", reason: "Đổi ý" }))).toBe(409);
  });

  it("verify and reject are signed leaves of the public log; the lot check passes and catches an edited verification row", async () => {
    const four = await declared(PROVINCE_4);
    const other = await declared(PROVINCE_4);
    const thaiNguyen = await officer("19", "Sở NN&PTNT Thái Nguyên");
    await decideAs(thaiNguyen.cookie, four.cert.id, { outcome: "VERIFIED", checked: "on" }).catch((r) => r);
    await decideAs(thaiNguyen.cookie, other.cert.id, { outcome: "REJECTED", reason: "Hồ sơ không khớp" }).catch((r) => r);
    await sequenceAll();
    for (const w of [four, other]) {
      const leaf = await prisma.logLeaf.findFirstOrThrow({ where: { type: "CertificateVerification", recordId: w.cert.id } });
      const fact = JSON.parse(leaf.leaf) as Record<string, unknown>;
      expect(fact).toMatchObject({
        type: "CertificateVerification",
        v: 2,
        id: w.cert.id,
        productId: w.product.id,
        office: "Sở NN&PTNT Thái Nguyên",
        decisionNumber: w.cert.decisionNumber,
        stars: 4,
      });
      expect(leaf.leaf).not.toContain(thaiNguyen.user.id);
      const row = await prisma.ocopCertificate.findUniqueOrThrow({ where: { id: w.cert.id } });
      expect(await verifySignature(certificateVerificationRecord(row), row.verificationKeyId, row.verificationSignature)).toBe(true);
      expect(await verifyBatchLog(w.batch.id)).toMatchObject({ ok: true, problems: [] });
    }
    expect(
      JSON.parse((await prisma.logLeaf.findFirstOrThrow({ where: { type: "CertificateVerification", recordId: other.cert.id } })).leaf),
    ).toMatchObject({ outcome: "REJECTED", reason: "Hồ sơ không khớp" });

    // A rejection turned into a verification by hand, and a verifying office renamed: both edited.
    await asAttacker(`UPDATE "OcopCertificate" SET "verification" = 'VERIFIED' WHERE "id" = $1`, [other.cert.id]);
    await asAttacker(`UPDATE "OcopCertificate" SET "verifierOffice" = 'Bộ NN&PTNT' WHERE "id" = $1`, [four.cert.id]);
    for (const w of [four, other]) {
      const verdict = await verifyBatchLog(w.batch.id);
      expect(verdict.ok).toBe(false);
      expect(verdict.problems).toContainEqual(
        expect.objectContaining({ type: "CertificateVerification", recordId: w.cert.id, problem: "edited" }),
      );
    }
    // A pending certificate marked verified by hand, with no leaf: missing.
    const third = await declared(PROVINCE_4);
    await asAttacker(
      `UPDATE "OcopCertificate" SET "verification" = 'VERIFIED', "verifiedAt" = now(), "verifierOffice" = 'Sở' WHERE "id" = $1`,
      [third.cert.id],
    );
    expect((await verifyBatchLog(third.batch.id)).problems).toContainEqual(
      expect.objectContaining({ type: "CertificateVerification", recordId: third.cert.id, problem: "missing" }),
    );
  });

  it("an admin appoints an officer to an office; nobody else can", async () => {
    const someone = await createUser(["SHOPPER"], "Cán bộ mới");
    const fields = { intent: "grantOfficer", identifier: someone.phone!, province: "19", officeName: "Sở NN&PTNT Thái Nguyên" };
    expect(await statusOf(async () => admin.action(args(post("/admin", fields, await cookieFor(someone.id)))))).toBe(403);
    const boss = await createUser(["ADMIN"]);
    expect(await statusOf(async () => admin.action(args(post("/admin", { ...fields, province: "99" }, await cookieFor(boss.id)))))).toBe(
      400,
    );
    expect(await statusOf(async () => admin.action(args(post("/admin", fields, await cookieFor(boss.id)))))).toBe(200);
    expect(
      await prisma.ocopOfficer.findUnique({ where: { userId: someone.id }, select: { provinceCode: true, officeName: true } }),
    ).toEqual({ provinceCode: "19", officeName: "Sở NN&PTNT Thái Nguyên" });
    expect(await statusOf(async () => queue.loader(args(get("/officer", await cookieFor(someone.id)))))).toBe(200);
  });
});
