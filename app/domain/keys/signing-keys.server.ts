import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Prisma, SigningKey } from "@prisma/client";
import { prisma } from "~/db.server";
import { canonicalJson } from "~/lib/canonical-json";
import { setting } from "~/lib/env.server";

// The platform signs inspections, certificate verifications and the log's checkpoints with
// Ed25519 over their canonical JSON (RFC 8785).
// Keys live in the SigningKey table, so every app instance on the database signs with the
// same published key: the newest unretired key signs; retired keys keep their public half
// (published) so records signed before a rotation still verify. Private halves are stored
// encrypted (AES-256-GCM) under a key derived from SIGNING_KEY_SECRET, so a database dump
// alone cannot forge inspections. Nothing is cached: signing is rare, and reading the key
// each time means a rotation on one instance is used by every other at once.

// Serialises key creation and rotation across instances (pg_advisory_xact_lock key).
const KEYRING_LOCK = 7_202_611_240;

/** What a key signs: inspection records, or the public log's checkpoints (app/domain/log). */
export type KeyPurpose = "inspection" | "log";
const currentKeyWhere = (purpose: KeyPurpose) =>
  ({ purpose, retiredAt: null, privateKey: { not: null } }) satisfies Prisma.SigningKeyWhereInput;
// What currentKeyWhere finds: a key that still has its (encrypted) private half.
type CurrentKey = SigningKey & { privateKey: string };

type SigningSecret = { secret: string; source: string };

function secretFile(): string {
  const dir = setting("DATA_DIR");
  const dataDir = dir ? path.resolve(dir) : path.join(process.cwd(), "data");
  return path.join(dataDir, "signing-secret");
}

/**
 * SIGNING_KEY_SECRET, else the one generated into $DATA_DIR/signing-secret. Only making a
 * new key may generate that file: a missing secret while decrypting is an error, never a
 * fresh secret that would orphan every stored key.
 */
function signingSecret(create: boolean): SigningSecret | null {
  const fromEnv = setting("SIGNING_KEY_SECRET")?.trim();
  if (fromEnv) return { secret: fromEnv, source: "SIGNING_KEY_SECRET" };
  const file = secretFile();
  if (create) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // "wx": two processes starting together must not overwrite each other's secret.
      fs.writeFileSync(file, crypto.randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
      console.log(
        `[ocop-trace] SIGNING_KEY_SECRET was not set: generated a new one and kept it in ${file} (not in git). Every instance sharing this database needs the same secret.`,
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  if (!fs.existsSync(file)) return null;
  return { secret: fs.readFileSync(file, "utf8").trim(), source: file };
}

function encryptionKey(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", secret, "ocop-trace signing keys", "aes-256-gcm v1", 32));
}

// The key id is the GCM associated data: an encrypted private half copied onto another row does not decrypt.
// Exported for the platform's other key pairs kept the same way (recall-alerts/vapid-keys.server.ts).
export function encryptPrivateKey(keyId: string, pem: string): string {
  const { secret } = signingSecret(true)!;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", encryptionKey(secret), iv);
  cipher.setAAD(Buffer.from(keyId));
  const ciphertext = Buffer.concat([cipher.update(pem, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), ciphertext.toString("base64")].join(":");
}

export function decryptPrivateKey(key: { id: string; privateKey: string }): crypto.KeyObject {
  const found = signingSecret(false);
  if (!found)
    throw new Error(
      `cannot decrypt signing key ${key.id}: SIGNING_KEY_SECRET is not set and ${secretFile()} does not exist; set the SIGNING_KEY_SECRET that made it`,
    );
  const [version, iv, tag, ciphertext] = key.privateKey.split(":");
  if (version !== "v1" || !iv || !tag || !ciphertext)
    throw new Error(`cannot decrypt signing key ${key.id}: stored private key is not in the v1 format`);
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", encryptionKey(found.secret), Buffer.from(iv, "base64"));
    decipher.setAAD(Buffer.from(key.id));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    const pem = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64")), decipher.final()]).toString("utf8");
    return crypto.createPrivateKey(pem);
  } catch {
    throw new Error(
      `cannot decrypt signing key ${key.id} with the secret from ${found.source}: SIGNING_KEY_SECRET differs from the one that made it`,
    );
  }
}

function newKey(createdAt: Date, purpose: KeyPurpose): Prisma.SigningKeyCreateInput {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" });
  const id = `ed25519-${crypto.createHash("sha256").update(spki).digest("hex").slice(0, 16)}`;
  return {
    id,
    purpose,
    publicKey: spki.toString("base64"),
    privateKey: encryptPrivateKey(id, privateKey.export({ format: "pem", type: "pkcs8" }).toString()),
    createdAt,
    retiredAt: null,
  };
}

async function findCurrentKey(db: Prisma.TransactionClient, purpose: KeyPurpose): Promise<CurrentKey | null> {
  return (await db.signingKey.findFirst({
    where: currentKeyWhere(purpose),
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  })) as CurrentKey | null;
}

/** Runs under the keyring lock: in the caller's transaction if given (held until it ends), else in a new one. */
export async function withKeyringLock<T>(
  tx: Prisma.TransactionClient | undefined,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  const locked = async (db: Prisma.TransactionClient) => {
    await db.$executeRaw`SELECT pg_advisory_xact_lock(${KEYRING_LOCK}::bigint)`;
    return work(db);
  };
  return tx ? locked(tx) : prisma.$transaction(locked);
}

/** The key that signs now, made on first use; instances racing to make it end with one. */
async function currentKey(tx?: Prisma.TransactionClient, purpose: KeyPurpose = "inspection"): Promise<CurrentKey> {
  // Re-checked under the lock: another instance may have made the key while this one waited.
  return (
    (await findCurrentKey(tx ?? prisma, purpose)) ??
    (await withKeyringLock(
      tx,
      async (db) =>
        (await findCurrentKey(db, purpose)) ?? ((await db.signingKey.create({ data: newKey(new Date(), purpose) })) as CurrentKey),
    ))
  );
}

/** The key that signs log checkpoints now (made on first use), opened for signing. */
export async function currentLogKey(tx?: Prisma.TransactionClient): Promise<{ id: string; privateKey: crypto.KeyObject }> {
  const key = await currentKey(tx, "log");
  return { id: key.id, privateKey: decryptPrivateKey(key) };
}

/** A new signing key; the old one is retired (its private half dropped) but still verifies. */
export async function rotateSigningKey(purpose: KeyPurpose = "inspection"): Promise<string> {
  return withKeyringLock(undefined, async (db) => {
    // Proves this secret is the one the instances use before retiring the key they can open.
    const retiring = await findCurrentKey(db, purpose);
    if (retiring) decryptPrivateKey(retiring);
    const now = new Date();
    await db.signingKey.updateMany({ where: { purpose, retiredAt: null }, data: { retiredAt: now, privateKey: null } });
    const made = await db.signingKey.create({ data: newKey(now, purpose) });
    return made.id;
  });
}

/**
 * Signs the record with the current key. Pass the transaction the record is written in,
 * so signing does not wait for a second pooled connection while holding the first.
 */
export async function sign(record: unknown, tx?: Prisma.TransactionClient): Promise<{ keyId: string; signature: string }> {
  const key = await currentKey(tx);
  const signature = crypto.sign(null, Buffer.from(canonicalJson(record)), decryptPrivateKey(key));
  return { keyId: key.id, signature: signature.toString("base64") };
}

/** A SigningKey row's public half (base64 SPKI DER) as a KeyObject. */
export function publicKeyFromSpki(spkiBase64: string): crypto.KeyObject {
  return crypto.createPublicKey({ key: Buffer.from(spkiBase64, "base64"), format: "der", type: "spki" });
}

export async function verify(record: unknown, keyId: string | null, signature: string | null): Promise<boolean> {
  if (!keyId || !signature) return false;
  const key = await prisma.signingKey.findUnique({ where: { id: keyId }, select: { publicKey: true } });
  if (!key) return false;
  const publicKey = publicKeyFromSpki(key.publicKey);
  return crypto.verify(null, Buffer.from(canonicalJson(record)), publicKey, Buffer.from(signature, "base64"));
}

/** What /.well-known/ocop-trace-keys.json publishes: every public key, current first. */
export async function publishedKeys() {
  await currentKey();
  const keys = await prisma.signingKey.findMany({
    where: { purpose: "inspection" },
    select: { id: true, publicKey: true, createdAt: true, retiredAt: true },
  });
  return keys
    .map((k) => {
      // A JWK (RFC 8037) any Ed25519 library can load, plus the SPKI form for OpenSSL.
      const jwk = publicKeyFromSpki(k.publicKey).export({ format: "jwk" });
      return {
        kid: k.id,
        kty: "OKP",
        crv: "Ed25519",
        x: jwk.x!,
        use: "sig",
        alg: "EdDSA",
        spki: k.publicKey,
        createdAt: k.createdAt.toISOString(),
        retiredAt: k.retiredAt?.toISOString() ?? null,
      };
    })
    .sort((a, b) => Number(a.retiredAt !== null) - Number(b.retiredAt !== null) || b.createdAt.localeCompare(a.createdAt));
}
