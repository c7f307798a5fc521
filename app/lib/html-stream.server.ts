import { Transform } from "node:stream";

// React 18.3's Node renderer (renderToPipeableStream) writes its whole 2 KB buffer when a
// multi-byte character does not fit at its end, so the unused bytes go out as NULs: "v\0\0ừa"
// in the middle of Vietnamese text (react#31134, fixed only in React 19). HTML never carries a
// NUL (every input refuses it: lib/body-limits.ts), so the page's bytes are passed on without them.

/** A stream of HTML bytes with every 0x00 byte left out. */
export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (chunk.indexOf(0) === -1) return done(null, chunk);
      const kept = Buffer.allocUnsafe(chunk.length);
      let n = 0;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] !== 0) kept[n++] = chunk[i]!;
      done(null, kept.subarray(0, n));
    },
  });
}
