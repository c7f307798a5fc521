import type { Prisma, PrismaClient } from "@prisma/client";
import { prisma } from "~/db.server";

// The one way files are kept and read: photos, certificate files, evidence, report
// photos, label PDFs. They live in PostgreSQL (StoredFile), so every app instance
// serves what any other one stored, and a backup of the database holds them too.
// An S3-compatible store can later sit behind these three functions.

type Db = PrismaClient | Prisma.TransactionClient;

export async function putFile(key: string, mimeType: string, bytes: Uint8Array, db: Db = prisma): Promise<void> {
  const data = { mimeType, size: bytes.byteLength, bytes: new Uint8Array(bytes) };
  await db.storedFile.upsert({ where: { key }, create: { key, ...data }, update: data });
}

export async function readFile(key: string): Promise<{ mimeType: string; bytes: Uint8Array<ArrayBuffer> } | null> {
  const file = await prisma.storedFile.findUnique({ where: { key }, select: { mimeType: true, bytes: true } });
  return file ? { mimeType: file.mimeType, bytes: new Uint8Array(file.bytes) } : null;
}

export async function deleteFiles(keys: string[]): Promise<void> {
  if (keys.length) await prisma.storedFile.deleteMany({ where: { key: { in: keys } } });
}
