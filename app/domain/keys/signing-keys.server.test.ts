import fs from "node:fs";
import path from "node:path";
import { prisma } from "~/db.server";
import { publishedKeys, rotateSigningKey, sign, verify } from "./signing-keys.server";

// Each test file has its own database, so the keyring starts empty here.
const record = (n: number) => ({ type: "Inspection", id: `keyring-${n}`, result: "PASS" });
const unretiredKeys = () => prisma.signingKey.findMany({ where: { retiredAt: null } });

async function withSigningSecret<T>(secret: string, work: () => Promise<T>): Promise<T> {
  const before = process.env.SIGNING_KEY_SECRET;
  process.env.SIGNING_KEY_SECRET = secret;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.SIGNING_KEY_SECRET;
    else process.env.SIGNING_KEY_SECRET = before;
  }
}

describe("the inspection keyring in the database", () => {
  it("five first signatures at once, as from several instances, make one key and all verify", async () => {
    expect(await prisma.signingKey.count()).toBe(0);
    // Five open connections first, so the five signers really read the empty keyring together.
    await Promise.all([1, 2, 3, 4, 5].map(() => prisma.$executeRaw`SELECT pg_sleep(0.05)`));
    const signed = await Promise.all([1, 2, 3, 4, 5].map(async (n) => ({ n, ...(await sign(record(n))) })));
    expect(await prisma.signingKey.count()).toBe(1);
    const [only] = await unretiredKeys();
    expect(new Set(signed.map((s) => s.keyId))).toEqual(new Set([only!.id]));
    for (const s of signed) expect(await verify(record(s.n), s.keyId, s.signature)).toBe(true);
  });

  it("signing inside callers' transactions on an empty keyring also makes one key", async () => {
    // This file's own database: emptying the keyring touches no other test file.
    await prisma.signingKey.deleteMany();
    const signed = await Promise.all([
      ...[6, 7, 8].map((n) => prisma.$transaction(async (tx) => ({ n, ...(await sign(record(n), tx)) }))),
      ...[9, 10].map(async (n) => ({ n, ...(await sign(record(n))) })),
    ]);
    expect(await prisma.signingKey.count()).toBe(1);
    expect(new Set(signed.map((s) => s.keyId)).size).toBe(1);
    for (const s of signed) expect(await verify(record(s.n), s.keyId, s.signature)).toBe(true);
  });

  it("stores private keys encrypted, and another SIGNING_KEY_SECRET fails loudly instead of making a new key", async () => {
    const { keyId } = await sign(record(11));
    const rows = await prisma.signingKey.findMany();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain("PRIVATE KEY");
      if (row.privateKey) {
        expect(row.privateKey).toMatch(/^v1:[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$/);
        expect(Buffer.from(row.privateKey.split(":")[3]!, "base64").toString("latin1")).not.toContain("PRIVATE KEY");
      }
    }

    // No SIGNING_KEY_SECRET in tests: the secret was generated once into the data folder, owner-only.
    const secretFile = path.join(process.env.DATA_DIR!, "signing-secret");
    expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(secretFile, "utf8")).toMatch(/^[0-9a-f]{64}$/);

    const clearError = new RegExp(`cannot decrypt signing key ${keyId}.*SIGNING_KEY_SECRET differs from the one that made it`);
    await withSigningSecret("not the secret that made these keys", async () => {
      await expect(sign(record(12))).rejects.toThrow(clearError);
      // Rotating with the wrong secret would leave the other instances a key they cannot open.
      await expect(rotateSigningKey()).rejects.toThrow(clearError);
    });
    expect((await unretiredKeys()).map((k) => k.id)).toEqual([keyId]);
    expect(await prisma.signingKey.count()).toBe(rows.length);

    // The same secret given through the environment opens it.
    await withSigningSecret(fs.readFileSync(secretFile, "utf8"), async () => {
      expect((await sign(record(13))).keyId).toBe(keyId);
    });
  });

  it("the signature after a rotation uses the new key; signatures by the old key still verify", async () => {
    const before = await sign(record(14));
    const rotatedTo = await rotateSigningKey();
    expect(rotatedTo).not.toBe(before.keyId);
    const after = await sign(record(15));
    expect(after.keyId).toBe(rotatedTo);
    expect(await verify(record(14), before.keyId, before.signature)).toBe(true);
    expect(await verify(record(15), after.keyId, after.signature)).toBe(true);
    expect(await verify(record(15), before.keyId, after.signature)).toBe(false);

    const retired = await prisma.signingKey.findUniqueOrThrow({ where: { id: before.keyId } });
    expect(retired.privateKey).toBeNull();
    expect(retired.retiredAt).not.toBeNull();
    const published = await publishedKeys();
    expect(published[0]).toMatchObject({ kid: rotatedTo, retiredAt: null });
    expect(published.find((k) => k.kid === before.keyId)?.retiredAt).toBe(retired.retiredAt!.toISOString());
  });

  it("concurrent rotations leave exactly one current key, and it is the one that signs", async () => {
    const made = await Promise.all([rotateSigningKey(), rotateSigningKey(), rotateSigningKey()]);
    const current = await unretiredKeys();
    expect(current).toHaveLength(1);
    expect(made).toContain(current[0]!.id);
    expect((await sign(record(16))).keyId).toBe(current[0]!.id);
  });
});
