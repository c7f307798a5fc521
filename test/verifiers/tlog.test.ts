import crypto from "node:crypto";
import {
  cosign,
  fromBase64,
  leafHash,
  parseCheckpointBody,
  parseNote,
  parseVerifierKey,
  rootFromLeafHashes,
  signNote,
  verifyCheckpoint,
  verifyConsistency,
  verifyCosignature,
  verifyInclusion,
  verifyNote,
  witnessKey,
} from "../../verifiers/tlog.mjs";
import { logVectors } from "../log-vectors";

const v = logVectors();

/** The base64 hash with one bit of one byte flipped. */
function flip(b64: string, byte = 0): string {
  const b = Buffer.from(b64, "base64");
  b[byte % b.length] = b[byte % b.length]! ^ 0x01;
  return b.toString("base64");
}

describe("RFC 6962 hashing against Go's vectors", () => {
  it("hashes every leaf and rebuilds the roots of sizes 1..8", () => {
    expect(v.leavesHex).toHaveLength(8);
    v.leavesHex.forEach((hex, i) => expect(leafHash(Buffer.from(hex, "hex")).toString("base64")).toBe(v.leafHashes[i]));
    for (let n = 1; n <= 8; n++) {
      expect(rootFromLeafHashes(v.leafHashes.slice(0, n).map((h) => Buffer.from(h, "base64"))).toString("base64"), `size ${n}`).toBe(
        v.roots[String(n)],
      );
    }
    // CT's published root of the 8 sample leaves.
    expect(Buffer.from(v.roots["8"]!, "base64").toString("hex")).toBe("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    // A string leaf is hashed as its UTF-8 bytes.
    expect(leafHash("Nước mắm").equals(leafHash(Buffer.from("Nước mắm", "utf8")))).toBe(true);
  });
});

describe("inclusion proofs (RFC 9162 §2.1.3.2)", () => {
  it(`verifies all ${v.inclusion.length} of Go's proofs, and each fails with any one byte changed`, () => {
    expect(v.inclusion).toHaveLength(36);
    for (const { Index, Size, hashes } of v.inclusion) {
      const leaf = v.leafHashes[Index]!;
      const root = v.roots[String(Size)]!;
      const name = `leaf ${Index} in ${Size}`;
      expect(verifyInclusion(Index, Size, leaf, hashes, root), name).toBe(true);
      expect(verifyInclusion(Index, Size, flip(leaf, Index + 3), hashes, root), `${name}: leaf changed`).toBe(false);
      expect(verifyInclusion(Index, Size, leaf, hashes, flip(root, Size)), `${name}: root changed`).toBe(false);
      hashes.forEach((_, k) => {
        const bad = hashes.map((h, j) => (j === k ? flip(h, k * 7) : h));
        expect(verifyInclusion(Index, Size, leaf, bad, root), `${name}: proof hash ${k} changed`).toBe(false);
      });
      // Wrong position, wrong size, a hash too many or too few.
      if (Size > 1) expect(verifyInclusion((Index + 1) % Size, Size, leaf, hashes, root), `${name}: other index`).toBe(false);
      // The bit-walk does not pin the size by itself (size 3 and 4 walk alike); the root does.
      if (Size < 8) expect(verifyInclusion(Index, Size + 1, leaf, hashes, v.roots[String(Size + 1)]!), `${name}: other size`).toBe(false);
      if (Size > 1 && Index < Size - 1)
        expect(verifyInclusion(Index, Size - 1, leaf, hashes, v.roots[String(Size - 1)]!), `${name}: smaller size`).toBe(false);
      expect(verifyInclusion(Index, Size, leaf, [...hashes, v.leafHashes[0]!], root), `${name}: extra hash`).toBe(false);
      // The same proof and root claimed for a tree twice as deep: the walk ends before the top.
      expect(verifyInclusion(Index, Size * 2, leaf, hashes, root), `${name}: claimed in size ${Size * 2}`).toBe(false);
      if (hashes.length > 0) expect(verifyInclusion(Index, Size, leaf, hashes.slice(1), root), `${name}: hash missing`).toBe(false);
    }
  });

  it("rejects nonsense without throwing", () => {
    const { Index, Size, hashes } = v.inclusion.find((p) => p.Size === 8 && p.Index === 5)!;
    expect(verifyInclusion(Index, Size, v.leafHashes[5]!, hashes, v.roots["8"]!)).toBe(true);
    expect(verifyInclusion(8, 8, v.leafHashes[5]!, hashes, v.roots["8"]!)).toBe(false);
    expect(verifyInclusion(-1, 8, v.leafHashes[5]!, hashes, v.roots["8"]!)).toBe(false);
    expect(verifyInclusion(5, 8, v.leafHashes[5]!, ["not base64!"], v.roots["8"]!)).toBe(false);
    expect(
      verifyInclusion(
        5,
        8,
        v.leafHashes[5]!,
        hashes.map((h) => h.slice(0, -4)),
        v.roots["8"]!,
      ),
    ).toBe(false);
    expect(verifyInclusion(5, 8, v.leafHashes[5]!, null, v.roots["8"]!)).toBe(false);
  });
});

describe("consistency proofs (RFC 9162 §2.1.4.2)", () => {
  it(`verifies all ${v.consistency.length} of Go's proofs, and each fails with any one byte changed`, () => {
    expect(v.consistency).toHaveLength(28);
    for (const { From, To, hashes } of v.consistency) {
      const oldRoot = v.roots[String(From)]!;
      const newRoot = v.roots[String(To)]!;
      const name = `${From} → ${To}`;
      expect(verifyConsistency(From, To, hashes, oldRoot, newRoot), name).toBe(true);
      expect(verifyConsistency(From, To, hashes, flip(oldRoot, From), newRoot), `${name}: old root changed`).toBe(false);
      expect(verifyConsistency(From, To, hashes, oldRoot, flip(newRoot, To)), `${name}: new root changed`).toBe(false);
      hashes.forEach((_, k) => {
        const bad = hashes.map((h, j) => (j === k ? flip(h, k * 5 + 1) : h));
        expect(verifyConsistency(From, To, bad, oldRoot, newRoot), `${name}: proof hash ${k} changed`).toBe(false);
      });
      expect(verifyConsistency(From, To, hashes.slice(0, -1), oldRoot, newRoot), `${name}: hash missing`).toBe(false);
      expect(verifyConsistency(From, To, [...hashes, v.leafHashes[0]!], oldRoot, newRoot), `${name}: extra hash`).toBe(false);
      // The proof from To back to From is not a proof.
      expect(verifyConsistency(To, From, hashes, newRoot, oldRoot), `${name}: reversed`).toBe(false);
    }
  });

  it("equal sizes need an empty proof and the same root; size 0 and nonsense are refused", () => {
    expect(verifyConsistency(5, 5, [], v.roots["5"]!, v.roots["5"]!)).toBe(true);
    expect(verifyConsistency(5, 5, [], v.roots["5"]!, flip(v.roots["5"]!))).toBe(false);
    expect(verifyConsistency(5, 5, [v.leafHashes[0]!], v.roots["5"]!, v.roots["5"]!)).toBe(false);
    expect(verifyConsistency(0, 5, [], v.roots["1"]!, v.roots["5"]!)).toBe(false);
    expect(verifyConsistency(3, 5, [], v.roots["3"]!, v.roots["5"]!)).toBe(false);
    expect(verifyConsistency(3, 5, ["%%%%"], v.roots["3"]!, v.roots["5"]!)).toBe(false);
  });
});

describe("signed notes and checkpoints (C2SP)", () => {
  const { signedCheckpoint, verifierKey, checkpointBody, ed25519SeedHex } = v.signedNote;

  it("parses the verifier key and checks its key hash", () => {
    const key = parseVerifierKey(verifierKey);
    expect(key.name).toBe("example.test/log");
    expect(key.keyHash.toString("hex")).toBe("b2e16d9b");
    // The TEST-ONLY seed 0x00..0x1f gives this public key.
    expect(witnessKey("x", Buffer.from(ed25519SeedHex, "hex")).publicKey.equals(key.publicKey)).toBe(true);
    expect(() => parseVerifierKey(verifierKey.replace("+b2e16d9b+", "+b2e16d9c+"))).toThrow(/does not match/);
    expect(() => parseVerifierKey(verifierKey.replace("example.test/log+", "example.test/lag+"))).toThrow(/does not match/);
    expect(() => parseVerifierKey(verifierKey, 0x04)).toThrow(/algorithm/);
    expect(() => parseVerifierKey("example.test/log+b2e16d9b")).toThrow(/malformed/);
    expect(() => parseVerifierKey("example.test/log+B2E16D9B+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4")).toThrow(/key hash/);
  });

  it("verifies Go's signed checkpoint and reads its origin, size and root; a changed body fails", () => {
    const cp = verifyCheckpoint(signedCheckpoint, verifierKey);
    expect(cp).toMatchObject({
      origin: "example.test/log",
      size: 8,
      rootHash: v.roots["8"],
      body: checkpointBody,
      verifiedBy: ["example.test/log"],
    });
    // One byte of the body changed: the root, the size, the origin.
    expect(() => verifyCheckpoint(signedCheckpoint.replace("\n8\n", "\n9\n"), verifierKey)).toThrow(/does not verify/);
    expect(() => verifyCheckpoint(signedCheckpoint.replace("XcnaeacG", "XcnaeacH"), verifierKey)).toThrow(/does not verify/);
    // A changed signature byte.
    const sigB64 = signedCheckpoint.split("\u2014 example.test/log ")[1]!.trim();
    expect(() => verifyCheckpoint(signedCheckpoint.replace(sigB64, flip(sigB64, 20)), verifierKey)).toThrow(/does not verify/);
    // Another key of the same name: its hash differs, so the note is not signed by it.
    const other = witnessKey("example.test/log", crypto.randomBytes(32));
    const otherLogKey = other.vkey.replace(/\+[0-9a-f]{8}\+A/, "+00000000+A");
    expect(() => verifyNote(signedCheckpoint, otherLogKey)).toThrow();
  });

  it("refuses a checkpoint whose origin line is not the name of the key that signed it", () => {
    const seed = Buffer.from(ed25519SeedHex, "hex");
    const otherOrigin = checkpointBody.replace("example.test/log", "example.test/other");
    const note = signNote(otherOrigin, "example.test/log", seed);
    expect(verifyNote(note, verifierKey).verifiedBy).toEqual(["example.test/log"]);
    expect(() => verifyCheckpoint(note, verifierKey)).toThrow(/origin example\.test\/other is not the name/);
  });

  it("rejects malformed notes and checkpoint bodies", () => {
    expect(() => parseNote(signedCheckpoint.slice(0, -1))).toThrow(/newline/);
    expect(() => parseNote(checkpointBody)).toThrow(/blank line/);
    expect(() => parseNote(`${checkpointBody}\n`)).toThrow(/no signatures/);
    expect(() => parseNote(signedCheckpoint.replace("\u2014 ", "- "))).toThrow(/malformed signature/);
    expect(() => parseNote(signedCheckpoint.replace("example.test/log s", "example.test/log  s"))).toThrow(/malformed signature/);
    expect(() => parseNote(signedCheckpoint.replace("8\n", "8\r\n"))).toThrow(/control/);
    expect(() => parseCheckpointBody("example.test/log\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n")).toThrow(/size/);
    expect(() => parseCheckpointBody("example.test/log\n8\nXcnaeacGWamtVZy3Ad7Zoqudg=\n")).toThrow(/root/);
    expect(() => parseCheckpointBody("example.test/log\n8\n")).toThrow(/3 lines/);
    expect(parseCheckpointBody(`${checkpointBody}ext one\n`).extensions).toEqual(["ext one"]);
    expect(fromBase64("AQ")).toBeNull();
  });

  it("signNote reproduces Go's note byte for byte (Ed25519 is deterministic)", () => {
    expect(signNote(checkpointBody, "example.test/log", Buffer.from(ed25519SeedHex, "hex"))).toBe(signedCheckpoint);
  });
});

describe("cosignatures (C2SP tlog-cosignature v1)", () => {
  const body = v.signedNote.checkpointBody;
  const w = witnessKey("witness.example", crypto.randomBytes(32));

  it("round-trips: a cosigned checkpoint verifies with the witness key and still with the log key", () => {
    expect(w.vkey).toMatch(/^witness\.example\+[0-9a-f]{8}\+/);
    expect(Buffer.from(w.vkey.split("+").slice(2).join("+"), "base64")[0]).toBe(0x04);
    expect(parseVerifierKey(w.vkey, 0x04).keyHash.equals(w.keyId)).toBe(true);
    const line = cosign(body, w.name, w.privateKey, 1_790_000_000);
    expect(verifyCosignature(body, line, w.vkey)).toEqual({ name: "witness.example", time: 1_790_000_000 });
    const both = v.signedNote.signedCheckpoint + line;
    const note = parseNote(both);
    expect(note.signatures).toHaveLength(2);
    expect(verifyCosignature(note.body, note.signatures[1]!, w.vkey)).toEqual({ name: "witness.example", time: 1_790_000_000 });
    expect(verifyCheckpoint(both, v.signedNote.verifierKey).size).toBe(8);
  });

  it("a tampered cosignature, body, time or key fails", () => {
    const line = cosign(body, w.name, w.privateKey, 1_790_000_000);
    const value = line.trim().split(" ")[2]!;
    // Every byte region: key ID, timestamp, signature.
    for (const at of [0, 5, 11, 12, 40, 75]) {
      expect(verifyCosignature(body, line.replace(value, flip(value, at)), w.vkey), `byte ${at}`).toBeNull();
    }
    expect(verifyCosignature(body.replace("\n8\n", "\n9\n"), line, w.vkey)).toBeNull();
    const other = witnessKey("witness.example", crypto.randomBytes(32));
    expect(verifyCosignature(body, line, other.vkey)).toBeNull();
    // A log (0x01) signature line is not a cosignature.
    expect(verifyCosignature(body, v.signedNote.signedCheckpoint.split("\n\n")[1]!, w.vkey)).toBeNull();
  });
});
