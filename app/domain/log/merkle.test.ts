import { describe, expect, it } from "vitest";
import {
  CompactRange,
  consistencyPlan,
  inclusionPlan,
  leafHash,
  nodeHash,
  resolvePlan,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  type NodeId,
} from "./merkle";
import {
  checkpointBody,
  parseNote,
  parseVerifierKey,
  privateKeyFromSeed,
  rawPublicKey,
  signNote,
  SIG_ED25519,
  verifierKey,
  verifyNoteSignature,
  cosign,
  verifyCosignature,
  SIG_COSIGNATURE_V1,
} from "./note";
import { logVectors } from "../../../test/log-vectors";

const vectors = logVectors();
const leaves = vectors.leavesHex.map((h) => Buffer.from(h, "hex"));
const hashes = leaves.map(leafHash);
const b64 = (b: Buffer) => b.toString("base64");

// Full subtree hashes straight from the leaves, as the stored tiles would give them.
function hashOf(node: NodeId): Buffer {
  return rootOf(hashes.slice(node.index * 2 ** node.level, (node.index + 1) * 2 ** node.level));
}

describe("RFC 6962 against the reference vectors", () => {
  it("hashes every leaf like the reference", () => {
    expect(hashes.map(b64)).toEqual(vectors.leafHashes);
  });

  it("gives every root, including Certificate Transparency's size-8 root", () => {
    for (const [size, root] of Object.entries(vectors.roots)) expect(b64(rootOf(hashes.slice(0, Number(size)))), `size ${size}`).toBe(root);
    const range = new CompactRange();
    for (const [i, h] of hashes.entries()) {
      range.append(h);
      expect(b64(range.root())).toBe(vectors.roots[String(i + 1)]);
    }
    expect(vectors.roots["8"]!).toBe(
      Buffer.from("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", "hex").toString("base64"),
    );
  });

  it("produces every inclusion proof byte for byte, and each verifies (and fails when changed)", () => {
    expect(vectors.inclusion.length).toBeGreaterThan(30);
    for (const v of vectors.inclusion) {
      const proof = resolvePlan(inclusionPlan(v.Index, v.Size), hashOf);
      expect(proof.map(b64), `index ${v.Index} size ${v.Size}`).toEqual(v.hashes);
      const root = Buffer.from(vectors.roots[String(v.Size)]!, "base64");
      expect(verifyInclusion(v.Index, v.Size, hashes[v.Index]!, proof, root)).toBe(true);
      if (proof.length) {
        const bad = proof.map((p) => Buffer.from(p));
        bad[0]![0]! ^= 1;
        expect(verifyInclusion(v.Index, v.Size, hashes[v.Index]!, bad, root)).toBe(false);
      }
      expect(verifyInclusion(v.Index, v.Size, nodeHash(hashes[v.Index]!, hashes[v.Index]!), proof, root)).toBe(false);
    }
  });

  it("produces every consistency proof byte for byte, and each verifies (and fails when changed)", () => {
    expect(vectors.consistency.length).toBeGreaterThan(20);
    for (const v of vectors.consistency) {
      const proof = resolvePlan(consistencyPlan(v.From, v.To), hashOf);
      expect(proof.map(b64), `${v.From} → ${v.To}`).toEqual(v.hashes);
      const from = Buffer.from(vectors.roots[String(v.From)]!, "base64");
      const to = Buffer.from(vectors.roots[String(v.To)]!, "base64");
      expect(verifyConsistency(v.From, v.To, proof, from, to)).toBe(true);
      if (proof.length) {
        const bad = proof.map((p) => Buffer.from(p));
        bad[bad.length - 1]![5]! ^= 1;
        expect(verifyConsistency(v.From, v.To, bad, from, to)).toBe(false);
      }
      if (v.From < v.To) expect(verifyConsistency(v.From, v.To, proof, to, to)).toBe(false);
    }
  });
});

describe("C2SP signed notes against the reference", () => {
  const seed = Buffer.from(vectors.signedNote.ed25519SeedHex, "hex");
  const key = privateKeyFromSeed(seed);
  const origin = "example.test/log";

  it("writes the same checkpoint body, signature and verifier key as the reference", () => {
    const body = checkpointBody(origin, 8, Buffer.from(vectors.roots["8"]!, "base64"));
    expect(body).toBe(vectors.signedNote.checkpointBody);
    expect(`${body}\n${signNote(body, origin, key)}`).toBe(vectors.signedNote.signedCheckpoint);
    expect(verifierKey(origin, SIG_ED25519, rawPublicKey(key))).toBe(vectors.signedNote.verifierKey);
  });

  it("verifies the reference note, and refuses a changed one", () => {
    const verifier = parseVerifierKey(vectors.signedNote.verifierKey)!;
    expect(verifier).not.toBeNull();
    expect(verifyNoteSignature(parseNote(vectors.signedNote.signedCheckpoint)!, verifier)).toBe(true);
    const changed = vectors.signedNote.signedCheckpoint.replace("\n8\n", "\n9\n");
    expect(verifyNoteSignature(parseNote(changed)!, verifier)).toBe(false);
    expect(parseVerifierKey(vectors.signedNote.verifierKey.replace(/\+([0-9a-f])/, "+f"))).toBeNull();
  });

  it("cosigns in the tlog-cosignature v1 form and verifies only the right body", () => {
    const witness = privateKeyFromSeed(Buffer.alloc(32, 7));
    const body = vectors.signedNote.checkpointBody;
    const line = cosign(body, "witness.test/w1", witness, 1_700_000_000);
    const verifier = parseVerifierKey(verifierKey("witness.test/w1", SIG_COSIGNATURE_V1, rawPublicKey(witness)))!;
    const note = parseNote(`${body}\n${line}`)!;
    expect(verifyCosignature(note, verifier)).toEqual({ time: 1_700_000_000, line });
    expect(Buffer.from(line.split(" ")[2]!, "base64").length).toBe(4 + 8 + 64);
    expect(verifyCosignature(parseNote(`${body.replace("\n8\n", "\n7\n")}\n${line}`)!, verifier)).toBeNull();
  });
});
