import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { canonicalJson } from "~/domain/ledger/ledger.server";

// The platform signs every inspection with Ed25519 over its canonical JSON (RFC 8785).
// Keys live in a keyring file under the data folder (SIGNING_KEYRING to move it): the
// newest key signs; retired keys stay in the ring (public half published) so records
// signed before a rotation still verify.

type StoredKey = { id: string; publicKey: string; privateKey: string | null; createdAt: string; retiredAt: string | null };

function keyringPath(): string {
  return process.env.SIGNING_KEYRING ?? path.join(process.env.DATA_DIR ?? "data", "keys", "inspection-keys.json");
}

function newKey(): StoredKey {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" });
  return {
    id: `ed25519-${crypto.createHash("sha256").update(spki).digest("hex").slice(0, 16)}`,
    publicKey: spki.toString("base64"),
    privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    createdAt: new Date().toISOString(),
    retiredAt: null,
  };
}

function readRing(): StoredKey[] {
  const file = keyringPath();
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as StoredKey[];
  return [];
}

function writeRing(ring: StoredKey[]) {
  const file = keyringPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(ring, null, 2), { mode: 0o600 });
}

function currentKey(): StoredKey {
  const ring = readRing();
  const current = ring.find((k) => !k.retiredAt && k.privateKey);
  if (current) return current;
  const made = newKey();
  writeRing([...ring, made]);
  return made;
}

/** A new signing key; the old one is retired (its private half dropped) but still verifies. */
export function rotateSigningKey(): string {
  const now = new Date().toISOString();
  const ring = readRing().map((k) => (k.retiredAt ? k : { ...k, retiredAt: now, privateKey: null }));
  const made = newKey();
  writeRing([...ring, made]);
  return made.id;
}

export function sign(record: unknown): { keyId: string; signature: string } {
  const key = currentKey();
  const signature = crypto.sign(null, Buffer.from(canonicalJson(record)), crypto.createPrivateKey(key.privateKey!));
  return { keyId: key.id, signature: signature.toString("base64") };
}

export function verify(record: unknown, keyId: string | null, signature: string | null): boolean {
  if (!keyId || !signature) return false;
  const key = readRing().find((k) => k.id === keyId);
  if (!key) return false;
  const publicKey = crypto.createPublicKey({ key: Buffer.from(key.publicKey, "base64"), format: "der", type: "spki" });
  return crypto.verify(null, Buffer.from(canonicalJson(record)), publicKey, Buffer.from(signature, "base64"));
}

/** What /.well-known/ocop-trace-keys.json publishes: every public key, current first. */
export function publishedKeys() {
  currentKey();
  return readRing()
    .map((k) => {
      // A JWK (RFC 8037) any Ed25519 library can load, plus the SPKI form for OpenSSL.
      const jwk = crypto.createPublicKey({ key: Buffer.from(k.publicKey, "base64"), format: "der", type: "spki" }).export({ format: "jwk" });
      return { kid: k.id, kty: "OKP", crv: "Ed25519", x: jwk.x!, use: "sig", alg: "EdDSA", spki: k.publicKey, createdAt: k.createdAt, retiredAt: k.retiredAt };
    })
    .sort((a, b) => Number(a.retiredAt !== null) - Number(b.retiredAt !== null) || b.createdAt.localeCompare(a.createdAt));
}
