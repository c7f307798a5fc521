// Producer workspace routes: ownership, roles, helpers, and uploads that must be refused.
import { prisma } from "~/db.server";
import { actingCookie } from "~/web/auth.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { issueUnitCodes } from "~/domain/trace/unit-codes.server";
import { createLabelJob } from "~/domain/trace/label-jobs.server";
import {
  args,
  cookieFor,
  createProducer,
  createProductWithBatch,
  createUser,
  get,
  helperActingFor,
  payload,
  pngFile,
  post,
  postMultipart,
  statusOf,
} from "../../test/helpers";
import * as productPage from "./producer.products.$productId._index";
import * as newCertificate from "./producer.products.$productId.certificates.new";
import * as newEvent from "./producer.batches.$batchId.events.new";
import * as batchPage from "./producer.batches.$batchId._index";
import * as labelJob from "./producer.label-jobs.$jobId._index";
import * as labelJobPdf from "./producer.label-jobs.$jobId.labels[.pdf]";
import * as certFile from "./certificates.$certificateId.file";
import * as revoke from "./certificates.$certificateId.revoke";
import * as helperHome from "./helper._index";
import * as onboard from "./helper.households.new";
import * as claim from "./claim";
import * as producerHelpers from "./producer.helpers";
import * as producerHome from "./producer._index";

async function world() {
  const a = await createProducer("APPROVED", "HTX A");
  const { product, batch } = await createProductWithBatch(a.producer.id);
  await issueBatchCode(batch.id, a.user.id);
  const madeJob = await createLabelJob({ batchId: batch.id, userId: a.user.id, layout: "A4_24", kind: "BATCH", copies: 3 });
  if (!madeJob.ok) throw new Error(madeJob.error);
  const job = madeJob.job;
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
      fileKey: "0123456789abcdef0123456789abcdef.pdf",
      fileMimeType: "application/pdf",
    },
  });
  return { a, product, batch, job, cert };
}

/** Every read and write of producer A's workspace, as a function of who asks. */
function attempts(w: Awaited<ReturnType<typeof world>>, cookie: string) {
  const { product, batch, job, cert } = w;
  return {
    productPage: () => productPage.loader(args(get(`/producer/products/${product.id}`, cookie), { productId: product.id })),
    uploadPhoto: async () =>
      productPage.action(
        args(postMultipart(`/producer/products/${product.id}`, { intent: "photo", photo: await pngFile() }, cookie), {
          productId: product.id,
        }),
      ),
    newCertificate: async () =>
      newCertificate.action(
        args(postMultipart(`/producer/products/${product.id}/certificates/new`, { stars: "3" }, cookie), { productId: product.id }),
      ),
    newEvent: async () =>
      newEvent.action(
        args(
          postMultipart(
            `/producer/batches/${batch.id}/events/new?kind=PLANTING`,
            { occurredAt: "2026-03-01T07:00", variety: "X", area: "1 ha" },
            cookie,
          ),
          { batchId: batch.id },
        ),
      ),
    issueUnits: () =>
      batchPage.action(args(post(`/producer/batches/${batch.id}`, { intent: "issueUnits", count: "5" }, cookie), { batchId: batch.id })),
    labelJob: () => labelJob.loader(args(get(`/producer/label-jobs/${job.id}`, cookie), { jobId: job.id })),
    labelPdf: () => labelJobPdf.loader(args(get(`/producer/label-jobs/${job.id}/labels.pdf`, cookie), { jobId: job.id })),
    certFile: () => certFile.loader(args(get(`/certificates/${cert.id}/file`, cookie), { certificateId: cert.id })),
  };
}

async function expectAllRefused(w: Awaited<ReturnType<typeof world>>, cookie: string) {
  const before = await Promise.all([
    prisma.productImage.count(),
    prisma.ocopCertificate.count(),
    prisma.traceEvent.count(),
    prisma.traceCode.count(),
  ]);
  for (const [name, run] of Object.entries(attempts(w, cookie))) {
    const status = await statusOf(run);
    expect([403, 404], `${name} answered ${status}`).toContain(status);
  }
  expect(
    await Promise.all([prisma.productImage.count(), prisma.ocopCertificate.count(), prisma.traceEvent.count(), prisma.traceCode.count()]),
  ).toEqual(before);
}

describe("producer workspace authorization", () => {
  it("refuses another producer on every new route", async () => {
    const w = await world();
    const b = await createProducer("APPROVED", "HTX B");
    await expectAllRefused(w, await cookieFor(b.user.id));
  });

  it("refuses a shopper", async () => {
    const w = await world();
    const shopper = await createUser(["SHOPPER"]);
    await expectAllRefused(w, await cookieFor(shopper.id));
  });

  it("refuses a helper who is not attached to that producer, even with a forged acting cookie", async () => {
    const w = await world();
    const other = await createProducer("APPROVED", "HTX khác");
    const { helper } = await helperActingFor(other.producer.id);
    const forged = `${await cookieFor(helper.id)}; ${(await actingCookie().serialize(w.a.producer.id)).split(";")[0]}`;
    await expectAllRefused(w, forged);
    expect(await statusOf(() => helperHome.action(args(post("/helper", { producerId: w.a.producer.id }, forged))))).toBe(403);
  });

  it("lets an attached helper work, and the record says who entered it for whom", async () => {
    const w = await world();
    const { cookie } = await helperActingFor(w.a.producer.id);
    const run = attempts(w, cookie);
    expect(await statusOf(run.productPage)).toBe(200);
    expect(await statusOf(run.newEvent)).toBe(302);
    const page = await batchPage.loader(args(get(`/producer/batches/${w.batch.id}`, cookie), { batchId: w.batch.id }));
    expect(page.season[0]).toMatchObject({ recordedBy: "Tình nguyện viên", onBehalfOf: "HTX A" });
  });

  it("only admins and inspectors of the province revoke certificates", async () => {
    const w = await world();
    const form = { reason: "Sai lệch hồ sơ" };
    expect(await statusOf(() => revoke.action(args(post(`/certificates/${w.cert.id}/revoke`, form), { certificateId: w.cert.id })))).toBe(
      302,
    ); // anonymous → login
    const producerCookie = await cookieFor(w.a.user.id);
    expect(
      await statusOf(() =>
        revoke.action(args(post(`/certificates/${w.cert.id}/revoke`, form, producerCookie), { certificateId: w.cert.id })),
      ),
    ).toBe(403);
    const inspector = await createUser(["INSPECTOR"]);
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "01" } });
    const inspectorCookie = await cookieFor(inspector.id);
    expect(
      await statusOf(() =>
        revoke.action(args(post(`/certificates/${w.cert.id}/revoke`, form, inspectorCookie), { certificateId: w.cert.id })),
      ),
    ).toBe(403);
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "19" } });
    expect(
      await statusOf(() =>
        revoke.action(args(post(`/certificates/${w.cert.id}/revoke`, form, inspectorCookie), { certificateId: w.cert.id })),
      ),
    ).toBe(302);
    const revoked = await prisma.ocopCertificate.findUniqueOrThrow({ where: { id: w.cert.id } });
    expect([revoked.revokedReason, revoked.revokedById]).toEqual(["Sai lệch hồ sơ", inspector.id]);
    expect(await prisma.logLeaf.count({ where: { type: "CertificateRevoke", recordId: w.cert.id } })).toBe(1);
  });
});

describe("uploads and event forms refuse bad input and store nothing", () => {
  function storedFiles(): Promise<number> {
    return prisma.storedFile.count();
  }

  it("refuses an oversized photo, a text file named .jpg, and a corrupt PNG", async () => {
    const { user, producer } = await createProducer();
    const { product } = await createProductWithBatch(producer.id);
    const cookie = await cookieFor(user.id);
    const send = (photo: File) =>
      productPage.action(
        args(postMultipart(`/producer/products/${product.id}`, { intent: "photo", photo }, cookie), { productId: product.id }),
      );
    const files = await storedFiles();
    const big = new File([new Uint8Array(5 * 1024 * 1024 + 1)], "to.jpg", { type: "image/jpeg" });
    const text = new File(["không phải ảnh"], "anh.jpg", { type: "image/jpeg" });
    const pngHeaderOnly = new File(
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])],
      "hong.png",
      { type: "image/png" },
    );
    expect(payload<{ fieldErrors: Record<string, string> }>(await send(big)).fieldErrors.photo).toBe("error.fileTooLarge");
    expect(payload<{ fieldErrors: Record<string, string> }>(await send(text)).fieldErrors.photo).toBe("error.fileNotImage");
    expect(payload<{ fieldErrors: Record<string, string> }>(await send(pngHeaderOnly)).fieldErrors.photo).toBe("error.imageUnreadable");
    expect(await prisma.productImage.count({ where: { productId: product.id } })).toBe(0);
    expect(await storedFiles()).toBe(files);
    // A real photo is stored in three phone widths as WebP and the two small ones as AVIF, outside public/.
    expect(await statusOf(async () => send(await pngFile("that.png", 1200, 800)))).toBe(200);
    const image = await prisma.productImage.findFirstOrThrow({ where: { productId: product.id } });
    expect([image.width, image.height]).toEqual([1200, 800]);
    expect(await storedFiles()).toBe(files + 5);
  });

  it("refuses a certificate file that is not a PDF or image, and writes no certificate", async () => {
    const { user, producer } = await createProducer();
    const { product } = await createProductWithBatch(producer.id);
    const cookie = await cookieFor(user.id);
    const fields = {
      stars: "4",
      scoreA: "30",
      scoreB: "20",
      scoreC: "25",
      totalScore: "75",
      level: "PROVINCE",
      authority: "UBND tỉnh",
      decisionNumber: "5/QĐ",
      decisionDate: "2025-01-01",
    };
    const exe = new File([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff])], "giay.pdf", {
      type: "application/pdf",
    });
    const r = await newCertificate.action(
      args(postMultipart(`/producer/products/${product.id}/certificates/new`, { ...fields, file: exe }, cookie), { productId: product.id }),
    );
    expect(payload<{ fieldErrors: Record<string, string> }>(r).fieldErrors.file).toBe("error.fileNotDocument");
    expect(await prisma.ocopCertificate.count({ where: { productId: product.id } })).toBe(0);
    const pdf = new File(["%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"], "giay.pdf", { type: "application/pdf" });
    expect(
      await statusOf(() =>
        newCertificate.action(
          args(postMultipart(`/producer/products/${product.id}/certificates/new`, { ...fields, file: pdf }, cookie), {
            productId: product.id,
          }),
        ),
      ),
    ).toBe(302);
    const cert = await prisma.ocopCertificate.findFirstOrThrow({ where: { productId: product.id } });
    expect(cert.validUntil.toISOString().slice(0, 10)).toBe("2028-01-01");
    expect(cert.fileMimeType).toBe("application/pdf");
  });

  it("an event form with missing key data writes nothing", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    const cookie = await cookieFor(user.id);
    const r = await newEvent.action(
      args(
        postMultipart(
          `/producer/batches/${batch.id}/events/new?kind=INPUT_APPLICATION`,
          { occurredAt: "2026-10-01T07:00", inputName: "Phân hữu cơ" },
          cookie,
        ),
        { batchId: batch.id },
      ),
    );
    const errors = payload<{ fieldErrors: Record<string, string> }>(r).fieldErrors;
    expect(errors).toMatchObject({ activeIngredient: "error.required", dose: "error.required", phiDays: "error.required" });
    expect(await prisma.traceEvent.count({ where: { batchId: batch.id } })).toBe(0);
    expect(await prisma.logLeaf.count({ where: { batchId: batch.id, type: { not: "Batch" } } })).toBe(0);
  });

  it("refuses more unit codes than the batch holds", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    const cookie = await cookieFor(user.id);
    await issueUnitCodes(batch.id, user.id, 90);
    const r = await batchPage.action(
      args(post(`/producer/batches/${batch.id}`, { intent: "issueUnits", count: "11" }, cookie), { batchId: batch.id }),
    );
    expect(payload<{ fieldErrors: Record<string, string> }>(r).fieldErrors.count).toBe("error.tooManyUnitCodes|10");
    expect(await prisma.traceCode.count({ where: { batchId: batch.id, kind: "UNIT" } })).toBe(90);
  });
});

describe("helpers onboard households that can take over", () => {
  it("needs consent, creates the household with its owner and helper, and the claim code hands the account over", async () => {
    const helper = await createUser(["HELPER"], "Anh Tùng (tổ CNS)");
    const cookie = await cookieFor(helper.id);
    const fields = {
      intent: "save",
      headName: "Bà Lò Thị Mai",
      headPhone: "0388 123 456",
      type: "HOUSEHOLD",
      name: "Hộ bà Lò Thị Mai",
      street: "Bản Áng",
      provinceCode: "14",
      wardCode: "03980",
    };
    const noConsent = await onboard.action(args(post("/helper/households/new", fields, cookie)));
    expect(payload<{ fieldErrors: Record<string, string> }>(noConsent).fieldErrors.consent).toBe("error.consentRequired");
    expect(await prisma.producer.count({ where: { name: "Hộ bà Lò Thị Mai" } })).toBe(0);
    const done = payload<{ claimCode: string }>(
      await onboard.action(args(post("/helper/households/new", { ...fields, consent: "on" }, cookie))),
    );
    expect(done.claimCode).toMatch(/^\d{10}$/);
    const producer = await prisma.producer.findFirstOrThrow({ where: { name: "Hộ bà Lò Thị Mai" }, include: { members: true } });
    expect(producer.consentById).toBe(helper.id);
    expect(producer.members.map((m) => m.role).sort()).toEqual(["HELPER", "OWNER"]);

    expect(
      await statusOf(() => claim.action(args(post("/claim", { phone: "0388123456", code: "0000000000", password: "matkhau-moi" })))),
    ).toBe(400);
    const claimed = await claim.action(args(post("/claim", { phone: "0388123456", code: done.claimCode, password: "matkhau-moi" })));
    expect(await statusOf(() => claimed)).toBe(302);
    expect(
      await statusOf(() => claim.action(args(post("/claim", { phone: "0388123456", code: done.claimCode, password: "lan-hai-nua" })))),
    ).toBe(400); // single use

    const owner = producer.members.find((m) => m.role === "OWNER")!;
    const ownerCookie = await cookieFor(owner.userId);
    const actingCookieHeader = `${cookie}; ${(await actingCookie().serialize(producer.id)).split(";")[0]}`;
    expect(await statusOf(() => producerHome.loader(args(get("/producer", actingCookieHeader))))).toBe(200);
    expect(await statusOf(() => producerHelpers.action(args(post("/producer/helpers", { helperId: helper.id }, actingCookieHeader))))).toBe(
      403,
    ); // only the owner removes helpers
    expect(await statusOf(() => producerHelpers.action(args(post("/producer/helpers", { helperId: helper.id }, ownerCookie))))).toBe(200);
    expect(await statusOf(() => producerHome.loader(args(get("/producer", actingCookieHeader))))).toBe(403); // no longer attached
  });
});
