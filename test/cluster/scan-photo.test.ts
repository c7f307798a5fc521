import sharp from "sharp";
import { performance } from "node:perf_hooks";
import { startServer } from "./server-process";

// The /scan photo fallback is open to anyone. A photo that is huge, or shaped to make the QR
// decoder slow, must get its answer quickly and must not hold up any other request: here a
// real server process, with /healthz polled all the while.

async function png(width: number, height: number): Promise<Buffer> {
  // One colour: a few KB on the wire, width × height pixels once decoded.
  return sharp({ create: { width, height, channels: 3, background: { r: 240, g: 240, b: 235 } } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** Posts a photo to /scan while timing /healthz back to back; answers the post's status and time and every health time. */
async function postWhilePolling(base: string, photo: Buffer) {
  const health: number[] = [];
  let done = false;
  const poll = (async () => {
    while (!done) {
      const t0 = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      health.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const body = new FormData();
  body.append("photo", new File([new Uint8Array(photo)], "anh.png", { type: "image/png" }));
  const t0 = performance.now();
  const res = await fetch(`${base}/scan`, { method: "POST", body, redirect: "manual" });
  await res.arrayBuffer();
  const took = performance.now() - t0;
  // A few more polls after the answer: work left running after it would show here.
  await new Promise((r) => setTimeout(r, 300));
  done = true;
  await poll;
  return { status: res.status, took, health };
}

describe("/scan photo decoding never stalls the server", () => {
  it("answers a 40 MP photo, a 50 MP one and a 1200×8000 one with a 4xx within 2 s while /healthz stays under 100 ms", async () => {
    const photos = { "40 MP": await png(8000, 5000), "50 MP": await png(10000, 5000), "1200×8000": await png(1200, 8000) };
    const { base, proc } = await startServer();
    try {
      // Warm up the route (first compile of the module graph) with a tiny photo.
      await postWhilePolling(base, await png(40, 30));
      for (const [name, photo] of Object.entries(photos)) {
        // On a 2-CPU machine running other test files at once, one poll now and then misses
        // 100 ms with no upload at all. A stall the upload causes shows on every try (the old
        // code: 500 ms+ each time), so the health bound must hold in one of two tries.
        let best = Infinity;
        for (let attempt = 1; attempt <= 2 && best >= 100; attempt++) {
          const { status, took, health } = await postWhilePolling(base, photo);
          const worst = Math.max(...health);
          console.log(
            `${name} (${photo.byteLength} B), try ${attempt}: ${status} in ${took.toFixed(0)} ms; /healthz ×${health.length}, worst ${worst.toFixed(1)} ms`,
          );
          expect(status, name).toBeGreaterThanOrEqual(400);
          expect(status, name).toBeLessThan(500);
          expect(took, name).toBeLessThan(2000);
          best = Math.min(best, worst);
        }
        expect(best, name).toBeLessThan(100);
      }
    } finally {
      proc.kill();
    }
  }, 90_000);
});
