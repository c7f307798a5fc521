import { PassThrough, type Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { renderToPipeableStream } from "react-dom/server";
import { withoutNulBytes } from "./html-stream.server";

// Short Vietnamese texts in many elements fill React's 2 KB buffer a few bytes at a time, so
// for some prefix length a 3-byte letter ("ừ") meets the buffer's end (as on the checkout page).
function page(prefix: number) {
  return (
    <main>
      <p>{"x".repeat(prefix)}</p>
      {Array.from({ length: 300 }, (_, i) => (
        <span key={i}>vừa hết hàng</span>
      ))}
    </main>
  );
}

function render(prefix: number, through?: () => PassThrough | ReturnType<typeof withoutNulBytes>): Promise<string> {
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(page(prefix), {
      onAllReady() {
        const out = new PassThrough();
        const end: Readable = through ? out.pipe(through()) : out;
        text(end).then(resolve, reject);
        pipe(out);
      },
      onError: reject,
    });
  });
}

describe("the HTML stream", () => {
  it("carries no NUL byte where React 18 pads a buffer that a multi-byte letter did not fit", async () => {
    const raw = await Promise.all([0, 1, 2, 3, 4, 5].map((k) => render(k)));
    // The test can fail: React itself pads at least one of these renders.
    expect(raw.some((html) => html.includes("\0"))).toBe(true);
    for (const k of [0, 1, 2, 3, 4, 5]) {
      const html = await render(k, withoutNulBytes);
      expect(html.includes("\0"), `prefix ${k}`).toBe(false);
      expect(html.match(/vừa hết hàng/g)).toHaveLength(300);
    }
  });
});
