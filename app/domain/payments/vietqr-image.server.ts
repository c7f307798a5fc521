import QRCode from "qrcode";
import { vietQrFor } from "./payments.server";

/** The order's VietQR as an SVG data URL for an <img>, or null when it is not a VietQR order. */
export async function vietQrImage(order: Parameters<typeof vietQrFor>[0]): Promise<string | null> {
  const payload = vietQrFor(order);
  if (!payload) return null;
  const svg = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

/**
 * The same QR as a PNG to save on the phone (a bank app scans a QR from a saved photo, not
 * from the screen it runs on): 600 px with a wide quiet zone, so a photo gallery thumbnail
 * and a bank app's "scan from image" both read it.
 */
export async function vietQrPng(order: Parameters<typeof vietQrFor>[0]): Promise<Buffer | null> {
  const payload = vietQrFor(order);
  if (!payload) return null;
  return QRCode.toBuffer(payload, { type: "png", errorCorrectionLevel: "M", margin: 4, width: 600 });
}

/** The saved image's file name: the order code says which transfer it is for. */
export function vietQrFileName(code: string): string {
  return `VietQR-${code.replace(/[^0-9A-Za-z]/g, "")}.png`;
}
