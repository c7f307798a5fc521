import crypto from "node:crypto";

// C2SP signed-note, tlog-checkpoint and tlog-cosignature (Ed25519), to the byte:
// - checkpoint body: "<origin>\n<size>\n<base64 root>\n"
// - note: body, "\n", then one "— <name> <base64(4-byte key id ‖ signature)>\n" per signature
// - log key id = SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[:4], verifier key "name+hex id+base64(0x01 ‖ key)"
// - cosignature key id uses 0x04 and signs "cosignature/v1\ntime <t>\n" ‖ body; its value is
//   base64(key id ‖ u64 big-endian time ‖ signature).

export const SIG_ED25519 = 0x01;
export const SIG_COSIGNATURE_V1 = 0x04;
const DASH = "\u2014 ";

export type NoteSignature = { name: string; keyId: Buffer; signature: Buffer };

export function checkpointBody(origin: string, size: number, root: Buffer): string {
  return `${origin}\n${size}\n${root.toString("base64")}\n`;
}

export type Checkpoint = { origin: string; size: number; root: Buffer; extensions: string[] };

export function parseCheckpointBody(body: string): Checkpoint | null {
  if (!body.endsWith("\n")) return null;
  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 3) return null;
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(sizeText)) return null;
  const root = Buffer.from(rootText, "base64");
  if (root.length !== 32 || root.toString("base64") !== rootText) return null;
  return { origin, size: Number(sizeText), root, extensions };
}

/** Ed25519 private key from its 32-byte seed (RFC 8032), via PKCS#8 DER. */
export function privateKeyFromSeed(seed: Buffer): crypto.KeyObject {
  const prefix = Buffer.from("302e020100300506032b657004220420", "hex");
  return crypto.createPrivateKey({ key: Buffer.concat([prefix, seed]), format: "der", type: "pkcs8" });
}

export function rawPublicKey(key: crypto.KeyObject): Buffer {
  const spki = (key.type === "public" ? key : crypto.createPublicKey(key)).export({ format: "der", type: "spki" });
  return spki.subarray(spki.length - 32);
}

export function publicKeyFromRaw(raw: Buffer): crypto.KeyObject {
  const prefix = Buffer.from("302a300506032b6570032100", "hex");
  return crypto.createPublicKey({ key: Buffer.concat([prefix, raw]), format: "der", type: "spki" });
}

export function keyId(name: string, alg: number, rawPublic: Buffer): Buffer {
  return crypto.createHash("sha256").update(name).update("\n").update(Buffer.of(alg)).update(rawPublic).digest().subarray(0, 4);
}

export function verifierKey(name: string, alg: number, rawPublic: Buffer): string {
  return `${name}+${keyId(name, alg, rawPublic).toString("hex")}+${Buffer.concat([Buffer.of(alg), rawPublic]).toString("base64")}`;
}

export type Verifier = { name: string; alg: number; keyId: Buffer; publicKey: crypto.KeyObject; text: string };

/** Parses "name+hhhhhhhh+base64(alg ‖ key)" and checks that its key hash is the right one. */
export function parseVerifierKey(text: string): Verifier | null {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(text.trim());
  if (!match) return null;
  const [, name, hashHex, b64] = match as unknown as [string, string, string, string];
  const bytes = Buffer.from(b64, "base64");
  const alg = bytes[0]!;
  if (bytes.length !== 33 || (alg !== SIG_ED25519 && alg !== SIG_COSIGNATURE_V1)) return null;
  const verifier = makeVerifier(name, alg, bytes.subarray(1));
  return verifier.keyId.toString("hex") === hashHex ? verifier : null;
}

/** The verifier for a name and a raw Ed25519 public key (its key id computed, its text written). */
export function makeVerifier(name: string, alg: number, rawPublic: Buffer): Verifier {
  return { name, alg, keyId: keyId(name, alg, rawPublic), publicKey: publicKeyFromRaw(rawPublic), text: verifierKey(name, alg, rawPublic) };
}

export function signatureLine(name: string, id: Buffer, value: Buffer): string {
  return `${DASH}${name} ${Buffer.concat([id, value]).toString("base64")}\n`;
}

/** The log's own signature line over a note body. */
export function signNote(body: string, name: string, privateKey: crypto.KeyObject): string {
  const id = keyId(name, SIG_ED25519, rawPublicKey(privateKey));
  return signatureLine(name, id, crypto.sign(null, Buffer.from(body, "utf8"), privateKey));
}

export function cosignatureMessage(body: string, time: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, "utf8");
}

/** A witness's cosignature line over a checkpoint body (C2SP tlog-cosignature v1). */
export function cosign(body: string, name: string, privateKey: crypto.KeyObject, time: number): string {
  const id = keyId(name, SIG_COSIGNATURE_V1, rawPublicKey(privateKey));
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  return signatureLine(name, id, Buffer.concat([stamp, crypto.sign(null, cosignatureMessage(body, time), privateKey)]));
}

export type ParsedNote = { body: string; signatures: NoteSignature[] };

/** Splits a signed note; null when it is not one (no blank line, a malformed signature line). */
export function parseNote(text: string): ParsedNote | null {
  const at = text.lastIndexOf("\n\n");
  if (at < 0 || !text.endsWith("\n")) return null;
  const body = text.slice(0, at + 1);
  const lines = text.slice(at + 2, -1).split("\n");
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    if (!line.startsWith(DASH)) return null;
    const [name, b64, extra] = line.slice(DASH.length).split(" ");
    if (!name || !b64 || extra !== undefined) return null;
    const bytes = Buffer.from(b64, "base64");
    if (bytes.length < 5 || bytes.toString("base64") !== b64) return null;
    signatures.push({ name, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) });
  }
  return signatures.length ? { body, signatures } : null;
}

/** Does the note carry a valid signature by this (log) verifier key? */
export function verifyNoteSignature(note: ParsedNote, verifier: Verifier): boolean {
  return note.signatures.some(
    (s) =>
      s.name === verifier.name &&
      s.keyId.equals(verifier.keyId) &&
      s.signature.length === 64 &&
      crypto.verify(null, Buffer.from(note.body, "utf8"), verifier.publicKey, s.signature),
  );
}

/** The timestamp of a valid cosignature by this witness key on the note's body, else null. */
export function verifyCosignature(note: ParsedNote, verifier: Verifier): { time: number; line: string } | null {
  if (verifier.alg !== SIG_COSIGNATURE_V1) return null;
  for (const s of note.signatures) {
    if (s.name !== verifier.name || !s.keyId.equals(verifier.keyId) || s.signature.length !== 72) continue;
    const time = Number(s.signature.readBigUInt64BE(0));
    if (crypto.verify(null, cosignatureMessage(note.body, time), verifier.publicKey, s.signature.subarray(8))) {
      return { time, line: signatureLine(s.name, s.keyId, s.signature) };
    }
  }
  return null;
}
