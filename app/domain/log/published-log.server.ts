import type { LogCheckpoint, Prisma, PrismaClient } from "@prisma/client";
import { prisma } from "~/db.server";
import { currentLogKey, publicKeyFromSpki } from "~/domain/keys/signing-keys.server";
import { consistencyPlan, inclusionPlan, type Hash } from "./merkle";
import { rawPublicKey, SIG_ED25519, verifierKey } from "./note";
import { logOrigin, storedLogOrigin } from "./log-origin.server";
import { TileSet } from "./tiles.server";

// What the published log answers: its size, signed checkpoints, leaves, proofs and verifier keys.

type Db = PrismaClient | Prisma.TransactionClient;

/** Size of the published tree: the latest checkpoint's (0 before the first). */
export async function publishedSize(db: Db = prisma): Promise<number> {
  const [row] = await db.$queryRaw<Pick<LogCheckpoint, "size">[]>`SELECT "size" FROM "LogCheckpoint" ORDER BY "size" DESC LIMIT 1`;
  return row ? Number(row.size) : 0;
}

export type StoredCheckpoint = {
  size: number;
  rootHash: Buffer;
  body: string;
  signature: string;
  keyId: string;
  cosignatures: string[];
  text: string;
};

function withText(row: {
  size: bigint;
  rootHash: Uint8Array;
  body: string;
  signature: string;
  keyId: string;
  cosignatures: { line: string }[];
}): StoredCheckpoint {
  const cosignatures = row.cosignatures.map((c) => c.line);
  return {
    size: Number(row.size),
    rootHash: Buffer.from(row.rootHash),
    body: row.body,
    signature: row.signature,
    keyId: row.keyId,
    cosignatures,
    text: `${row.body}\n${row.signature}${cosignatures.join("")}`,
  };
}

const checkpointSelect = {
  size: true,
  rootHash: true,
  body: true,
  signature: true,
  keyId: true,
  cosignatures: { select: { line: true }, orderBy: { witness: "asc" } },
} as const;

export async function latestCheckpoint(db: Db = prisma): Promise<StoredCheckpoint | null> {
  const row = await db.logCheckpoint.findFirst({ orderBy: { size: "desc" }, select: checkpointSelect });
  return row ? withText(row) : null;
}

export async function checkpointOfSize(size: number, db: Db = prisma): Promise<StoredCheckpoint | null> {
  const row = await db.logCheckpoint.findUnique({ where: { size: BigInt(size) }, select: checkpointSelect });
  return row ? withText(row) : null;
}

/** The leaf at an index of the published tree, exactly as hashed. */
export async function leafAt(index: number): Promise<string | null> {
  if (index >= (await publishedSize())) return null;
  const row = await prisma.logLeaf.findUnique({ where: { index: BigInt(index) }, select: { leaf: true } });
  return row?.leaf ?? null;
}

export async function inclusionProof(index: number, size: number, db: Db = prisma): Promise<Hash[]> {
  return new TileSet(db).resolve(inclusionPlan(index, size));
}

export async function consistencyProof(from: number, to: number, db: Db = prisma): Promise<Hash[]> {
  if (from === to) return [];
  return new TileSet(db).resolve(consistencyPlan(from, to));
}

/** Every log key ever used, as C2SP verifier keys, current first (rotation keeps old checkpoints checkable). */
export async function logVerifierKeys(db: Db = prisma): Promise<{ id: string; text: string; current: boolean }[]> {
  await currentLogKey();
  const keys = await db.signingKey.findMany({
    where: { purpose: "log" },
    orderBy: [{ retiredAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, publicKey: true, retiredAt: true },
  });
  // The log's own name once it has one: a process configured otherwise does not publish its key under another.
  const origin = (await storedLogOrigin(db)) ?? logOrigin();
  return keys.map((k) => ({
    id: k.id,
    text: verifierKey(origin, SIG_ED25519, rawPublicKey(publicKeyFromSpki(k.publicKey))),
    current: k.retiredAt === null,
  }));
}
