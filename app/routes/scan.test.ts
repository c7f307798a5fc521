import QRCode from "qrcode";
import sharp from "sharp";
import { args, payload, pngFile, statusOf } from "../../test/helpers";
import * as scan from "./scan";

// The photo fallback of the scanner: decoded in the worker pool, time-limited, rate limited per client.

function postPhoto(photo: File, ip: string) {
  const body = new FormData();
  body.append("photo", photo);
  return new Request("http://localhost/scan", { method: "POST", body, headers: { "x-ocop-client-ip": ip } });
}

const send = (photo: File, ip: string) => scan.action(args(postPhoto(photo, ip)));

describe("/scan photo upload", () => {
  it("reads a photo of one of our codes in the worker pool and follows it", async () => {
    const png = await QRCode.toBuffer("https://ocop.example.vn/t/CHETANCVNG2345ABCD", { width: 600 });
    const reply = await send(new File([new Uint8Array(png)], "qr.png", { type: "image/png" }), "198.51.100.1").catch((e: unknown) => e);
    expect(reply).toBeInstanceOf(Response);
    expect((reply as Response).headers.get("Location")).toBe("/t/CHETANCVNG2345ABCD");
  });

  it("gives up on a photo that takes longer than the time limit: 'could not read the photo'", async () => {
    const big = await sharp({ create: { width: 8000, height: 5000, channels: 3, background: "#eee" } })
      .png()
      .toBuffer();
    process.env.SCAN_DECODE_TIMEOUT_MS = "100";
    try {
      const t0 = Date.now();
      const reply = await send(new File([new Uint8Array(big)], "big.png", { type: "image/png" }), "198.51.100.2");
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(await statusOf(() => reply)).toBe(422);
      expect(payload<{ error: string }>(reply).error).toBe("scan.unreadable");
    } finally {
      delete process.env.SCAN_DECODE_TIMEOUT_MS;
    }
    // The pool replaced the stopped worker: the next photo is read as usual.
    expect(payload<{ error: string }>(await send(await pngFile(), "198.51.100.2")).error).toBe("scan.noQr");
  });

  it("refuses a photo declaring more than 40 million pixels before decoding it", async () => {
    const bomb = await sharp({ create: { width: 10000, height: 5000, channels: 3, background: "#fff" } })
      .png()
      .toBuffer();
    const reply = await send(new File([new Uint8Array(bomb)], "bomb.png", { type: "image/png" }), "198.51.100.3");
    expect(await statusOf(() => reply)).toBe(400);
    expect(payload<{ error: string }>(reply).error).toBe("scan.tooBig");
  });

  it("answers 429 once a client has sent its allowance of photos in a minute; another client is not affected", async () => {
    const photo = await pngFile();
    for (let i = 0; i < 20; i++) expect(await statusOf(() => send(photo, "198.51.100.4"))).toBe(422);
    const refused = await send(photo, "198.51.100.4");
    expect(await statusOf(() => refused)).toBe(429);
    expect(payload<{ error: string }>(refused).error).toMatch(/^scan\.tooMany\|\d+$/);
    expect(await statusOf(() => send(photo, "198.51.100.5"))).toBe(422);
  });
});
