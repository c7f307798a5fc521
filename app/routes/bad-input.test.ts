// Every form refuses empty, oversized and ill-typed input with a message for
// the field, and writes nothing.
import { prisma } from "~/db.server";
import { args, cookieFor, createProducer, createProductWithBatch, createUser, payload, post, statusOf } from "../../test/helpers";
import * as signup from "./signup";
import * as login from "./login";
import * as profile from "./producer.profile";
import * as newProduct from "./producer.products.new";
import * as newBatch from "./producer.products.$productId.batches.new";

type FormReply = { fieldErrors: Record<string, string>; formError?: string };

async function rowCounts() {
  const [users, producers, products, batches, codes] = await Promise.all([
    prisma.user.count(),
    prisma.producer.count(),
    prisma.product.count(),
    prisma.batch.count(),
    prisma.traceCode.count(),
  ]);
  return { users, producers, products, batches, codes };
}

async function expectRefused(run: () => Promise<unknown>, field: string, message: string) {
  const before = await rowCounts();
  const result = await run();
  expect(await statusOf(() => result)).toBeGreaterThanOrEqual(400);
  expect(payload<FormReply>(result).fieldErrors[field]).toBe(message);
  expect(await rowCounts()).toEqual(before);
}

const long = (n: number) => "x".repeat(n + 1);

describe("sign-up form", () => {
  const good = { name: "Nguyễn Văn An", identifier: "0912 000 111", password: "matkhau123", accountType: "PRODUCER" };
  const send = (fields: Record<string, string>) => signup.action(args(post("/signup", fields)));

  it("refuses empty, oversized and ill-typed fields", async () => {
    await expectRefused(() => send({ ...good, name: "" }), "name", "error.required");
    await expectRefused(() => send({ ...good, name: "   " }), "name", "error.required");
    await expectRefused(() => send({ ...good, name: long(100) }), "name", "error.tooLong|100");
    await expectRefused(() => send({ ...good, identifier: "12345" }), "identifier", "error.badIdentifier");
    await expectRefused(() => send({ ...good, identifier: "not-an-email@" }), "identifier", "error.badIdentifier");
    await expectRefused(() => send({ ...good, password: "short" }), "password", "error.passwordTooShort|8");
    await expectRefused(() => send({ ...good, accountType: "ADMIN" }), "accountType", "error.chooseOne");
  });

  it("accepts good input with a code to confirm, making no account yet", async () => {
    const before = await rowCounts();
    const answer = await send(good);
    expect(await statusOf(() => answer)).toBe(200);
    expect(payload<{ step?: string; to?: string }>(answer)).toMatchObject({ step: "code", to: "0912000111" });
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a code that is not 6 digits, with a field message", async () => {
    const r = await signup.action(args(post("/signup", { intent: "confirm", identifier: "0912000111", code: "12ab" })));
    expect(payload<FormReply>(r).fieldErrors.code).toBe("error.badCode");
  });

  it("never echoes the password back", async () => {
    const result = await send({ ...good, name: "", password: "bimat-khong-lo" });
    expect(JSON.stringify(payload(result))).not.toContain("bimat-khong-lo");
  });
});

describe("login form", () => {
  it("refuses an empty identifier with a field message and a wrong password with a form message", async () => {
    const empty = await login.action(args(post("/login", { identifier: "", password: "x" })));
    expect(payload<FormReply>(empty).fieldErrors.identifier).toBe("error.required");
    await createUser(["SHOPPER"]);
    const wrong = await login.action(args(post("/login", { identifier: "0999999999", password: "sai-mat-khau" })));
    expect(await statusOf(() => wrong)).toBe(401);
    expect(payload<FormReply>(wrong).formError).toBe("error.badCredentials");
  });
});

describe("producer profile form", () => {
  const good = { intent: "save", type: "HOUSEHOLD", name: "Hộ bà Hoa", street: "Xóm 3", provinceCode: "19", wardCode: "05503" };

  it("refuses empty, oversized and ill-typed fields", async () => {
    const user = await createUser(["PRODUCER"]);
    const cookie = await cookieFor(user.id);
    const send = (fields: Record<string, string>) => profile.action(args(post("/producer/profile", fields, cookie)));
    await expectRefused(() => send({ ...good, name: "" }), "name", "error.required");
    await expectRefused(() => send({ ...good, name: long(150) }), "name", "error.tooLong|150");
    await expectRefused(() => send({ ...good, type: "FARM" }), "type", "error.chooseOne");
    await expectRefused(() => send({ ...good, provinceCode: "" }), "provinceCode", "error.chooseProvince");
    await expectRefused(() => send({ ...good, wardCode: "" }), "wardCode", "error.chooseWard");
    await expectRefused(() => send({ ...good, wardCode: "00004" }), "wardCode", "error.wardNotInProvince");
    await expectRefused(() => send({ ...good, street: long(200) }), "street", "error.tooLong|200");
    await expectRefused(() => send({ ...good, type: "ENTERPRISE" }), "registrationNumber", "error.registrationRequired");
    expect(await statusOf(() => send(good))).toBe(302);
    const created = await prisma.producer.findFirstOrThrow({ where: { members: { some: { userId: user.id } } } });
    expect([created.status, created.wardCode, created.provinceCode]).toEqual(["PENDING", "05503", "19"]);
  });

  it("loading the ward list saves nothing and returns the province's wards", async () => {
    const user = await createUser(["PRODUCER"]);
    const cookie = await cookieFor(user.id);
    const before = await rowCounts();
    const result = payload<{ wards: { code: string }[] }>(
      await profile.action(args(post("/producer/profile", { ...good, intent: "loadWards", provinceCode: "14" }, cookie))),
    );
    expect(result.wards.length).toBeGreaterThan(10);
    expect(result.wards.some((w) => w.code === "03980")).toBe(true);
    expect(await rowCounts()).toEqual(before);
  });
});

describe("product and batch forms", () => {
  it("refuses bad product input", async () => {
    const { user } = await createProducer("APPROVED");
    const cookie = await cookieFor(user.id);
    const good = { name: "Mật ong", ocopGroup: "1", unit: "chai", priceVnd: "200000", description: "" };
    const send = (fields: Record<string, string>) => newProduct.action(args(post("/producer/products/new", fields, cookie)));
    await expectRefused(() => send({ ...good, name: "" }), "name", "error.required");
    await expectRefused(() => send({ ...good, name: long(150) }), "name", "error.tooLong|150");
    await expectRefused(() => send({ ...good, ocopGroup: "7" }), "ocopGroup", "error.chooseOne");
    await expectRefused(() => send({ ...good, unit: "tấn" }), "unit", "error.chooseOne");
    await expectRefused(() => send({ ...good, priceVnd: "hai trăm" }), "priceVnd", "error.notWholeNumber");
    await expectRefused(() => send({ ...good, priceVnd: "-5" }), "priceVnd", "error.notWholeNumber");
    await expectRefused(() => send({ ...good, priceVnd: "12.5" }), "priceVnd", "error.notWholeNumber");
    await expectRefused(() => send({ ...good, priceVnd: "99999999999" }), "priceVnd", "error.tooLarge|1000000000");
    await expectRefused(() => send({ ...good, description: long(4000) }), "description", "error.tooLong|4000");
    expect(await statusOf(() => send({ ...good, priceVnd: "1.500.000" }))).toBe(302);
    expect((await prisma.product.findFirstOrThrow({ where: { name: "Mật ong" } })).priceVnd).toBe(1_500_000);
  });

  it("refuses bad batch input and a duplicate lot code", async () => {
    const { user, producer } = await createProducer("APPROVED");
    const { product } = await createProductWithBatch(producer.id, "LO-CU");
    const cookie = await cookieFor(user.id);
    const good = { lotCode: "lo-moi-1", producedAt: "2026-10-15", expiresAt: "2027-10-15", quantity: "500", productionArea: "" };
    const send = (fields: Record<string, string>) =>
      newBatch.action(args(post(`/producer/products/${product.id}/batches/new`, fields, cookie), { productId: product.id }));
    await expectRefused(() => send({ ...good, lotCode: "" }), "lotCode", "error.required");
    await expectRefused(() => send({ ...good, lotCode: long(40) }), "lotCode", "error.tooLong|40");
    await expectRefused(() => send({ ...good, lotCode: "lô một" }), "lotCode", "error.badLotCode");
    await expectRefused(() => send({ ...good, lotCode: "lo-cu" }), "lotCode", "error.lotCodeTaken");
    await expectRefused(() => send({ ...good, producedAt: "15/10/2026" }), "producedAt", "error.badDate");
    await expectRefused(() => send({ ...good, producedAt: "2026-02-30" }), "producedAt", "error.badDate");
    await expectRefused(() => send({ ...good, producedAt: "2026-13-01" }), "producedAt", "error.badDate");
    await expectRefused(() => send({ ...good, producedAt: "2099-01-01", expiresAt: "" }), "producedAt", "error.dateInFuture");
    await expectRefused(() => send({ ...good, expiresAt: "2026-01-01" }), "expiresAt", "error.expiryBeforeProduction");
    // Not before the season the product's events may open: 24 months before it was registered here.
    const registered = (await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).createdAt;
    const vnNow = new Date(registered.getTime() + 7 * 3600_000); // the day of registration in Vietnam
    const firstDay = new Date(Date.UTC(vnNow.getUTCFullYear() - 2, vnNow.getUTCMonth(), vnNow.getUTCDate()));
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const shown = iso(firstDay).split("-").reverse().join("/");
    for (const early of ["1900-01-01", iso(new Date(firstDay.getTime() - 86_400_000))]) {
      await expectRefused(() => send({ ...good, producedAt: early }), "producedAt", `error.producedBeforeSeason|${shown}`);
    }
    expect(await statusOf(() => send({ ...good, lotCode: "lo-dau-mua", producedAt: iso(firstDay) }))).toBe(302);
    await expectRefused(() => send({ ...good, quantity: "0" }), "quantity", "error.tooSmall|1");
    await expectRefused(() => send({ ...good, quantity: "mười" }), "quantity", "error.notWholeNumber");
    expect(await statusOf(() => send(good))).toBe(302);
    const created = await prisma.batch.findFirstOrThrow({ where: { lotCode: "LO-MOI-1" } });
    expect([created.quantity, created.stock]).toEqual([500, 500]);
  });
});
