// The outsider's verification library: RFC 6962 / RFC 9162 Merkle proofs and C2SP signed
// notes (tlog-checkpoint, signed-note, tlog-cosignature v1), written from the standards
// alone. It never imports the server's code (app/): an auditor checks our log with this
// file, node >= 20 and nothing else, so it must not share our bugs.
import crypto from "node:crypto";

const enc = new TextEncoder();

/** @param {Uint8Array | string} data */
export const bytes = (data) => (typeof data === "string" ? Buffer.from(enc.encode(data)) : Buffer.from(data));
/** @param {Uint8Array} data */
export const toBase64 = (data) => Buffer.from(data).toString("base64");

/** Strict standard base64 WITH padding (what the spec promises); null when it is anything else. */
export function fromBase64(text) {
  if (typeof text !== "string" || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const out = Buffer.from(text, "base64");
  // Non-canonical encodings (stray bits in the last character) would let two texts name one value.
  return out.toString("base64") === text ? out : null;
}

/** @param {Uint8Array[]} parts */
function sha256(...parts) {
  const h = crypto.createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}

/** RFC 6962 §2.1: SHA-256(0x00 || leaf bytes). A string is hashed as its UTF-8 bytes. */
export function leafHash(leaf) {
  return sha256(Buffer.from([0x00]), bytes(leaf));
}

/** RFC 6962 §2.1: SHA-256(0x01 || left || right). */
export function nodeHash(left, right) {
  return sha256(Buffer.from([0x01]), left, right);
}

/** Merkle Tree Hash of a list of leaf hashes (RFC 6962 §2.1), for tests and small checks. */
export function rootFromLeafHashes(hashes) {
  if (hashes.length === 0) return sha256();
  if (hashes.length === 1) return Buffer.from(hashes[0]);
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return nodeHash(rootFromLeafHashes(hashes.slice(0, k)), rootFromLeafHashes(hashes.slice(k)));
}

/** Accepts a Buffer/Uint8Array or a base64 text; null when not a 32-byte hash. */
function hash32(h) {
  const b = typeof h === "string" ? fromBase64(h) : h instanceof Uint8Array ? Buffer.from(h) : null;
  return b && b.length === 32 ? b : null;
}

/** Non-negative safe integer as a BigInt (the bit operations below are on BigInts: JS numbers
 *  shift as 32-bit integers), or null. */
function big(n) {
  if (typeof n === "bigint") return n >= 0n ? n : null;
  return Number.isSafeInteger(n) && n >= 0 ? BigInt(n) : null;
}

/**
 * RFC 9162 §2.1.3.2: does `proof` show the leaf with hash `leaf` at `index` in the tree of
 * `size` leaves whose root is `root`? Hashes as Buffers or base64 texts. Never throws.
 */
export function verifyInclusion(index, size, leaf, proof, root) {
  const fnStart = big(index);
  const sizeB = big(size);
  const r0 = hash32(leaf);
  const want = hash32(root);
  if (fnStart === null || sizeB === null || !r0 || !want || !Array.isArray(proof)) return false;
  if (fnStart >= sizeB) return false;
  let fn = fnStart;
  let sn = sizeB - 1n;
  let r = r0;
  for (const item of proof) {
    const p = hash32(item);
    if (!p) return false;
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(want);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show the tree of size `m` with root `oldRoot` is a prefix of
 * the tree of size `n` with root `newRoot`? m == n needs an empty proof and equal roots (the
 * spec's endpoint answers [] then). Never throws.
 */
export function verifyConsistency(m, n, proof, oldRoot, newRoot) {
  const first = big(m);
  const second = big(n);
  const firstHash = hash32(oldRoot);
  const secondHash = hash32(newRoot);
  if (first === null || second === null || !firstHash || !secondHash || !Array.isArray(proof)) return false;
  if (first < 1n || first > second) return false;
  if (first === second) return proof.length === 0 && firstHash.equals(secondHash);
  const path = [];
  for (const item of proof) {
    const h = hash32(item);
    if (!h) return false;
    path.push(h);
  }
  if (path.length === 0) return false;
  // Step 2: when the old tree is a complete subtree its root is the proof's implicit first node.
  if ((first & (first - 1n)) === 0n) path.unshift(firstHash);
  let fn = first - 1n;
  let sn = second - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0n;
}

// ---- C2SP signed-note --------------------------------------------------------------------

export const ALG_ED25519 = 0x01;
export const ALG_COSIGNATURE_V1 = 0x04;
const SIG_PREFIX = "\u2014 ";

/** A key name: non-empty, no whitespace, no "+" (C2SP signed-note). */
const validName = (name) => typeof name === "string" && name.length > 0 && !/[\s+]/u.test(name);

/** C2SP signed-note key hash / tlog-cosignature key ID: SHA-256(name || "\n" || alg || key)[:4]. */
export function keyHash(name, alg, publicKey) {
  return sha256(bytes(`${name}\n`), Buffer.from([alg]), publicKey).subarray(0, 4);
}

const ED25519_SPKI = Buffer.from("302a300506032b6570032100", "hex");
const ED25519_PKCS8 = Buffer.from("302e020100300506032b657004220420", "hex");

export const ed25519PublicKey = (raw) => crypto.createPublicKey({ key: Buffer.concat([ED25519_SPKI, raw]), format: "der", type: "spki" });
export const ed25519PrivateKey = (seed) =>
  crypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, seed]), format: "der", type: "pkcs8" });

/** Raw 32-byte public key of an Ed25519 KeyObject (private or public). */
export function rawPublicKey(key) {
  const pub = key.type === "private" ? crypto.createPublicKey(key) : key;
  return pub.export({ format: "der", type: "spki" }).subarray(ED25519_SPKI.length);
}

/**
 * Parses `<name>+<8 hex>+<base64(alg || 32-byte key)>` and checks the key hash; throws with a
 * reason when malformed, of another algorithm than `alg`, or when the hash does not match.
 */
export function parseVerifierKey(vkey, alg = ALG_ED25519) {
  const text = String(vkey).trim();
  const parts = text.split("+");
  // The base64 part may itself hold "+": the name and hash are the first two fields.
  if (parts.length < 3) throw new Error(`malformed verifier key: ${text}`);
  const name = parts[0];
  const hashHex = parts[1];
  const keyB64 = parts.slice(2).join("+");
  if (!validName(name)) throw new Error(`bad key name in verifier key: ${text}`);
  if (!/^[0-9a-f]{8}$/.test(hashHex)) throw new Error(`bad key hash in verifier key: ${text}`);
  const key = fromBase64(keyB64);
  if (!key || key.length !== 33) throw new Error(`bad key bytes in verifier key: ${text}`);
  if (key[0] !== alg)
    throw new Error(
      `verifier key algorithm 0x${key[0].toString(16).padStart(2, "0")} is not the expected 0x${alg.toString(16).padStart(2, "0")}: ${text}`,
    );
  const publicKey = key.subarray(1);
  const hash = keyHash(name, alg, publicKey);
  if (hash.toString("hex") !== hashHex)
    throw new Error(`verifier key hash ${hashHex} does not match its key (${hash.toString("hex")}): ${text}`);
  return { name, alg, keyHash: hash, publicKey, keyObject: ed25519PublicKey(publicKey), text };
}

/** Writes a verifier key for a raw 32-byte Ed25519 public key. */
export function formatVerifierKey(name, alg, publicKey) {
  if (!validName(name)) throw new Error(`bad key name: ${name}`);
  return `${name}+${keyHash(name, alg, publicKey).toString("hex")}+${toBase64(Buffer.concat([Buffer.from([alg]), publicKey]))}`;
}

/**
 * Splits a signed note into its body (ending in "\n") and signature lines; throws when the
 * text is not a well-formed note (C2SP signed-note: UTF-8 text, no control characters but
 * "\n", body + blank line + at least one "— <name> <base64>" line, ends in "\n").
 */
export function parseNote(text) {
  if (typeof text !== "string") throw new Error("note is not text");
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/u.test(text) || text.includes("\ufffd"))
    throw new Error("note holds control characters or invalid UTF-8");
  if (!text.endsWith("\n")) throw new Error("note does not end with a newline");
  const split = text.lastIndexOf("\n\n");
  if (split < 0) throw new Error("note has no blank line before its signatures");
  const body = text.slice(0, split + 1);
  const sigText = text.slice(split + 2);
  const lines = sigText.slice(0, -1).split("\n");
  if (sigText.length === 0 || lines.length === 0) throw new Error("note has no signatures");
  if (lines.length > 100) throw new Error("note has too many signatures");
  const signatures = lines.map((line) => {
    if (!line.startsWith(SIG_PREFIX)) throw new Error(`malformed signature line: ${line}`);
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(" ");
    const name = rest.slice(0, space);
    const value = space < 0 ? null : fromBase64(rest.slice(space + 1));
    if (space < 0 || !validName(name) || !value || value.length < 5) throw new Error(`malformed signature line: ${line}`);
    return { name, keyHash: value.subarray(0, 4), signature: value.subarray(4), line: `${line}\n` };
  });
  return { body, signatures };
}

/**
 * Verifies a note against verifier keys (parsed or text). Signatures of unknown keys are
 * skipped (C2SP: a note may carry lines for other verifiers); a known key whose signature
 * does not verify is an error. Returns { body, signatures, verifiedBy: [key names] };
 * throws when no given key signed it.
 */
export function verifyNote(text, keys) {
  const note = parseNote(text);
  const parsed = (Array.isArray(keys) ? keys : [keys]).map((k) => (typeof k === "string" ? parseVerifierKey(k) : k));
  const verifiedBy = [];
  for (const sig of note.signatures) {
    const key = parsed.find((k) => k.name === sig.name && k.keyHash.equals(sig.keyHash) && k.alg === ALG_ED25519);
    if (!key) continue;
    if (sig.signature.length !== 64 || !crypto.verify(null, bytes(note.body), key.keyObject, sig.signature)) {
      throw new Error(`signature by ${key.name} (${key.keyHash.toString("hex")}) does not verify`);
    }
    verifiedBy.push(key.name);
  }
  if (verifiedBy.length === 0)
    throw new Error(`note is not signed by ${parsed.map((k) => `${k.name}+${k.keyHash.toString("hex")}`).join(", ") || "any known key"}`);
  return { ...note, verifiedBy };
}

/** Signs a body as a note with an Ed25519 private key (tests and fakes). */
export function signNote(body, name, privateKey) {
  const key = privateKey instanceof crypto.KeyObject ? privateKey : ed25519PrivateKey(privateKey);
  const value = Buffer.concat([keyHash(name, ALG_ED25519, rawPublicKey(key)), crypto.sign(null, bytes(body), key)]);
  return `${body}\n${SIG_PREFIX}${name} ${toBase64(value)}\n`;
}

// ---- C2SP tlog-checkpoint ----------------------------------------------------------------

/** origin, size and root of a checkpoint body; extension lines allowed. Throws when malformed. */
export function parseCheckpointBody(body) {
  if (typeof body !== "string" || !body.endsWith("\n")) throw new Error("checkpoint body does not end with a newline");
  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 3) throw new Error("checkpoint body has fewer than 3 lines");
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!origin) throw new Error("checkpoint has an empty origin");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new Error(`bad checkpoint size: ${sizeText}`);
  const root = fromBase64(rootText);
  if (!root || root.length !== 32) throw new Error(`bad checkpoint root hash: ${rootText}`);
  if (extensions.some((l) => l.length === 0)) throw new Error("checkpoint has an empty extension line");
  return { origin, size: Number(sizeText), root, rootHash: rootText, extensions };
}

/**
 * Verifies a signed checkpoint with the log's verifier key(s) and parses it. The origin line
 * must be the signing key's name. Returns { origin, size, root, rootHash, body, signatures,
 * verifiedBy }; throws with the reason otherwise.
 */
export function verifyCheckpoint(text, logKeys) {
  const note = verifyNote(text, logKeys);
  const cp = parseCheckpointBody(note.body);
  if (!note.verifiedBy.includes(cp.origin))
    throw new Error(`checkpoint origin ${cp.origin} is not the name of the key that signed it (${note.verifiedBy.join(", ")})`);
  return { ...cp, body: note.body, signatures: note.signatures, verifiedBy: note.verifiedBy };
}

// ---- C2SP tlog-cosignature v1 ------------------------------------------------------------

const cosignedMessage = (body, time) => bytes(`cosignature/v1\ntime ${time}\n${body}`);

/** A witness key from its 32-byte seed: { name, privateKey, publicKey, keyId, vkey }. */
export function witnessKey(name, seed) {
  const privateKey = ed25519PrivateKey(Buffer.from(seed));
  const publicKey = rawPublicKey(privateKey);
  return {
    name,
    privateKey,
    publicKey,
    keyId: keyHash(name, ALG_COSIGNATURE_V1, publicKey),
    vkey: formatVerifierKey(name, ALG_COSIGNATURE_V1, publicKey),
  };
}

/**
 * The cosignature line ("— <name> <base64(key ID || u64 time || sig)>\n") of a witness over a
 * checkpoint body at unix time `time` (seconds). privateKey: KeyObject or 32-byte seed.
 */
export function cosign(body, name, privateKey, time) {
  if (!Number.isSafeInteger(time) || time < 0) throw new Error(`bad cosignature time: ${time}`);
  const key = privateKey instanceof crypto.KeyObject ? privateKey : ed25519PrivateKey(Buffer.from(privateKey));
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  const sig = crypto.sign(null, cosignedMessage(body, time), key);
  return `${SIG_PREFIX}${name} ${toBase64(Buffer.concat([keyHash(name, ALG_COSIGNATURE_V1, rawPublicKey(key)), stamp, sig]))}\n`;
}

/**
 * Checks one cosignature (a line, or a parsed signature from parseNote) over `body` against a
 * witness verifier key (alg 0x04). Returns { name, time } when it verifies, null otherwise.
 */
export function verifyCosignature(body, sig, vkey) {
  let key;
  let s;
  try {
    key = typeof vkey === "string" ? parseVerifierKey(vkey, ALG_COSIGNATURE_V1) : vkey;
    s = typeof sig === "string" ? parseNote(`x\n\n${sig.endsWith("\n") ? sig : `${sig}\n`}`).signatures[0] : sig;
  } catch {
    return null;
  }
  if (!s || key.alg !== ALG_COSIGNATURE_V1 || s.name !== key.name || !s.keyHash.equals(key.keyHash) || s.signature.length !== 72)
    return null;
  const time = s.signature.readBigUInt64BE(0);
  if (time > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const ok = crypto.verify(null, cosignedMessage(body, Number(time)), key.keyObject, s.signature.subarray(8));
  return ok ? { name: key.name, time: Number(time) } : null;
}
