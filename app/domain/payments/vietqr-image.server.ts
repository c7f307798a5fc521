import QRCode from "qrcode";
import { vietQrFor } from "./payments.server";

/** The order's VietQR as an SVG data URL for an <img>, or null when it is not a VietQR order. */
export async function vietQrImage(order: Parameters<typeof vietQrFor>[0]): Promise<string | null> {
  const payload = vietQrFor(order);
  if (!payload) return null;
  const svg = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}
