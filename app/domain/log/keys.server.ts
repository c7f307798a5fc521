import crypto from "node:crypto";

/** A SigningKey row's public half (base64 SPKI DER) as a KeyObject. */
export function publicKeyFromSpki(spkiBase64: string): crypto.KeyObject {
  return crypto.createPublicKey({ key: Buffer.from(spkiBase64, "base64"), format: "der", type: "spki" });
}
