import crypto from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { prisma } from "~/db.server";
import { FILE_CHUNK_BYTES, putFile, readFile, readFileStream, writeFileStream } from "./storage.server";

/** Every piece a web stream gives, in order. */
async function piecesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const reader = stream.getReader();
  const got: Uint8Array[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) got.push(r.value);
  return got;
}

describe("the file store", () => {
  it("writes a large file as 1 MiB chunk rows as it comes and reads it back chunk by chunk", async () => {
    const bytes = crypto.randomBytes(Math.floor(2.5 * FILE_CHUNK_BYTES));
    // Written in odd-sized pieces, as pdfkit emits them.
    const pieces = Array.from({ length: Math.ceil(bytes.length / 100_000) }, (_, i) => bytes.subarray(i * 100_000, (i + 1) * 100_000));
    await pipeline(Readable.from(pieces), writeFileStream("labels/big.pdf", "application/pdf"));
    const row = await prisma.storedFile.findUniqueOrThrow({ where: { key: "labels/big.pdf" } });
    expect([row.size, row.bytes.byteLength, row.mimeType]).toEqual([bytes.length, 0, "application/pdf"]);
    const chunks = await prisma.storedFileChunk.findMany({ where: { key: "labels/big.pdf" }, orderBy: { seq: "asc" } });
    expect(chunks.map((c) => c.bytes.byteLength)).toEqual([FILE_CHUNK_BYTES, FILE_CHUNK_BYTES, bytes.length - 2 * FILE_CHUNK_BYTES]);

    const read = (await readFileStream("labels/big.pdf"))!;
    expect(read.size).toBe(bytes.length);
    const got = await piecesOf(read.stream);
    expect(got.length).toBe(3);
    expect(Buffer.concat(got).equals(bytes)).toBe(true);
    // The whole-file reader still works on a chunked file.
    expect(Buffer.from((await readFile("labels/big.pdf"))!.bytes).equals(bytes)).toBe(true);
  });

  it("writing again under a key replaces the file and its old chunks", async () => {
    await pipeline(Readable.from([crypto.randomBytes(FILE_CHUNK_BYTES + 10)]), writeFileStream("labels/again.pdf", "application/pdf"));
    await pipeline(Readable.from([Buffer.from("%PDF-short")]), writeFileStream("labels/again.pdf", "application/pdf"));
    expect(await prisma.storedFileChunk.count({ where: { key: "labels/again.pdf" } })).toBe(1);
    expect(Buffer.from((await readFile("labels/again.pdf"))!.bytes).toString()).toBe("%PDF-short");
  });

  it("small files stay whole in their row and stream as one piece", async () => {
    await putFile("abc.webp", "image/webp", new Uint8Array([1, 2, 3]));
    const read = (await readFileStream("abc.webp"))!;
    const got = await piecesOf(read.stream);
    expect([read.size, got.length, [...got[0]!]]).toEqual([3, 1, [1, 2, 3]]);
  });
});
