import { Writable } from "node:stream";
import type { Prisma, PrismaClient } from "@prisma/client";
import { prisma } from "~/db.server";

// The one way files are kept and read: photos, certificate files, evidence, report
// photos, label PDFs. They live in PostgreSQL (StoredFile), so every app instance
// serves what any other one stored, and a backup of the database holds them too.
// Small files sit whole in StoredFile.bytes (putFile/readFile). Large ones (label-sheet
// PDFs) are written and read in pieces (writeFileStream/readFileStream, StoredFileChunk),
// so neither the writer nor the reader holds the whole file in memory.
// An S3-compatible store can later sit behind these functions.

type Db = PrismaClient | Prisma.TransactionClient;

/** Size of one StoredFileChunk row. */
export const FILE_CHUNK_BYTES = 1024 * 1024;

export async function putFile(key: string, mimeType: string, bytes: Uint8Array, db: Db = prisma): Promise<void> {
  const data = { mimeType, size: bytes.byteLength, bytes: new Uint8Array(bytes) };
  await db.storedFile.upsert({ where: { key }, create: { key, ...data }, update: data });
}

/** The whole file in memory: for small files (a chunked one is put together, for callers that need it whole). */
export async function readFile(key: string): Promise<{ mimeType: string; bytes: Uint8Array<ArrayBuffer> } | null> {
  const file = await prisma.storedFile.findUnique({ where: { key }, select: { mimeType: true, size: true, bytes: true } });
  if (!file) return null;
  if (file.bytes.byteLength === 0 && file.size > 0) {
    const chunks = await prisma.storedFileChunk.findMany({ where: { key }, orderBy: { seq: "asc" }, select: { bytes: true } });
    return { mimeType: file.mimeType, bytes: new Uint8Array(Buffer.concat(chunks.map((c) => c.bytes))) };
  }
  return { mimeType: file.mimeType, bytes: new Uint8Array(file.bytes) };
}

/**
 * A Node writable that stores what is written under key, 1 MiB chunk by chunk as it comes
 * (the StoredFile row holds the size and type, its bytes stay empty). Writing again under
 * the same key replaces the file. Readers should wait until the writer has finished.
 */
export function writeFileStream(key: string, mimeType: string): Writable {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let size = 0;
  const flush = async (all: boolean) => {
    while (pendingBytes >= FILE_CHUNK_BYTES || (all && pendingBytes > 0)) {
      const joined = Buffer.concat(pending);
      const piece = joined.subarray(0, FILE_CHUNK_BYTES);
      const rest = joined.subarray(piece.byteLength);
      await prisma.storedFileChunk.create({ data: { key, seq: seq++, bytes: new Uint8Array(piece) } });
      pending = rest.byteLength ? [Buffer.from(rest)] : [];
      pendingBytes = rest.byteLength;
    }
  };
  // A stream ignores what its methods return: each step's end goes to its callback.
  const settle = (work: () => Promise<void>, done: (error?: Error | null) => void) => {
    work().then(
      () => done(),
      (e) => done(e as Error),
    );
  };
  return new Writable({
    construct(done) {
      settle(async () => {
        // Deleting the file drops its old chunks too (cascade): a job run again starts clean.
        await prisma.storedFile.deleteMany({ where: { key } });
        await prisma.storedFile.create({ data: { key, mimeType, size: 0, bytes: new Uint8Array() } });
      }, done);
    },
    write(chunk: Buffer, _encoding, done) {
      settle(async () => {
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        size += chunk.byteLength;
        await flush(false);
      }, done);
    },
    final(done) {
      settle(async () => {
        await flush(true);
        await prisma.storedFile.update({ where: { key }, data: { size } });
      }, done);
    },
  });
}

/** A file as a web stream read one chunk row at a time (or its bytes at once when it is small). */
export async function readFileStream(key: string): Promise<{ mimeType: string; size: number; stream: ReadableStream<Uint8Array> } | null> {
  const file = await prisma.storedFile.findUnique({ where: { key }, select: { mimeType: true, size: true, bytes: true } });
  if (!file) return null;
  if (file.bytes.byteLength > 0 || file.size === 0) {
    const bytes = new Uint8Array(file.bytes);
    return { mimeType: file.mimeType, size: bytes.byteLength, stream: new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) }) };
  }
  let seq = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await prisma.storedFileChunk.findUnique({ where: { key_seq: { key, seq } }, select: { bytes: true } });
      seq++;
      if (chunk) controller.enqueue(new Uint8Array(chunk.bytes));
      else controller.close();
    },
  });
  return { mimeType: file.mimeType, size: file.size, stream };
}

export async function deleteFiles(keys: string[]): Promise<void> {
  if (keys.length) await prisma.storedFile.deleteMany({ where: { key: { in: keys } } });
}
