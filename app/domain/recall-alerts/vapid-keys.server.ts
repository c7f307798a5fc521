import crypto from "node:crypto";
import { prisma } from "~/db.server";
import { decryptPrivateKey, encryptPrivateKey, withKeyringLock } from "~/domain/keys/signing-keys.server";
import { appUrl } from "~/lib/app-url.server";
import { setting } from "~/lib/env.server";

// The platform's VAPID key pair (RFC 8292): browsers bind a push subscription to its public
// key, and every push request is signed with its private key. Kept like the signing keys: one
// SigningKey row of purpose "vapid", the private half encrypted under SIGNING_KEY_SECRET, made
// once on first need under the keyring lock so instances racing to make it end with one. It is
// never rotated: a new key would orphan every browser subscription made with the old one.

const PURPOSE = "vapid";

export type VapidDetails = { subject: string; publicKey: string; privateKey: string };

type VapidRow = { id: string; publicKey: string; privateKey: string };

async function findVapidKey(db: Pick<typeof prisma, "signingKey">): Promise<VapidRow | null> {
  return (await db.signingKey.findFirst({
    where: { purpose: PURPOSE, retiredAt: null, privateKey: { not: null } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, publicKey: true, privateKey: true },
  })) as VapidRow | null;
}

async function vapidKey(): Promise<VapidRow> {
  return (
    (await findVapidKey(prisma)) ??
    (await withKeyringLock(undefined, async (tx) => {
      // Re-checked under the lock: another instance may have made it while this one waited.
      const made = await findVapidKey(tx);
      if (made) return made;
      const { publicKey, privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const spki = publicKey.export({ format: "der", type: "spki" });
      const id = `p256-vapid-${crypto.createHash("sha256").update(spki).digest("hex").slice(0, 16)}`;
      return tx.signingKey.create({
        data: {
          id,
          purpose: PURPOSE,
          publicKey: spki.toString("base64"),
          privateKey: encryptPrivateKey(id, privateKey.export({ format: "pem", type: "pkcs8" }).toString()),
        },
        select: { id: true, publicKey: true, privateKey: true },
      }) as Promise<VapidRow>;
    }))
  );
}

/** The uncompressed P-256 point (65 bytes, 0x04 ‖ x ‖ y) of a public key, base64url: what PushManager.subscribe takes. */
function uncompressedPoint(spkiBase64: string): string {
  const jwk = crypto.createPublicKey({ key: Buffer.from(spkiBase64, "base64"), format: "der", type: "spki" }).export({ format: "jwk" });
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]).toString("base64url");
}

/** Kept per process: the key never changes once made, and anonymous pages ask for it. */
let publicKeyKept: Promise<string> | null = null;

/** The VAPID public key (base64url uncompressed point), made on first need. */
export function vapidPublicKey(): Promise<string> {
  publicKeyKept ??= vapidKey().then((k) => uncompressedPoint(k.publicKey));
  publicKeyKept.catch(() => (publicKeyKept = null)); // a failed read is not kept
  return publicKeyKept;
}

/**
 * Who runs this push sender (the JWT's `sub`): push services write there about a misbehaving
 * sender. The address the platform sends its e-mail from, else the site's https address.
 */
export function vapidSubject(): string {
  const from = setting("SMTP_FROM");
  const address = /<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? (/^[^<>\s]+@[^<>\s]+$/.test(from.trim()) ? from.trim() : null);
  return address ? `mailto:${address}` : appUrl();
}

/** What the web-push library needs to sign requests: subject, public key, raw private scalar (base64url). */
export async function vapidDetails(): Promise<VapidDetails> {
  const key = await vapidKey();
  const jwk = decryptPrivateKey(key).export({ format: "jwk" });
  return { subject: vapidSubject(), publicKey: uncompressedPoint(key.publicKey), privateKey: jwk.d! };
}
