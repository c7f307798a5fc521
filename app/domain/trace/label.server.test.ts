// The single label a producer downloads (PNG or SVG, 600 × 300): the whole product name,
// the producer and the expiry date, and a QR that still decodes.
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { labelPng, labelSvg, type LabelInput } from "./label.server";

const NAME = "Trà hoa vàng Ba Chẽ sấy lạnh túi lọc cao cấp hộp 20 gói";
const input: LabelInput = {
  url: "https://ocop-trace.vn/01/08936012345671/10/BC-2611%2FSL",
  productName: NAME,
  producerName: "Hợp tác xã Nông nghiệp và Dịch vụ Tổng hợp Trà hoa vàng Ba Chẽ",
  lotCode: "BC-2611/SL",
  expiresAt: new Date("2027-05-31"),
  callToScan: "Quét để truy xuất nguồn gốc",
  lotLabel: "Lô",
  expiryLabel: "HSD",
};

/** The words of the SVG as a reader sees them: its text elements in order, entities undone. */
function words(svg: string): string {
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  return texts
    .join(" ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/\s+/g, " ");
}

describe("the downloadable label", () => {
  it("carries the whole name, the producer and the expiry date, never …, and its QR decodes", () => {
    for (const productName of [NAME, `${NAME} — quà biếu Tết truyền thống của đồng bào Dao Thanh Phán vùng cao Quảng Ninh`]) {
      const svg = labelSvg({ ...input, productName });
      const text = words(svg);
      expect(text).toContain(productName);
      expect(text).toContain(input.producerName);
      expect(text).toContain("HSD: 31/05/2027");
      expect(text).toContain("Lô: BC-2611/SL");
      expect(svg).not.toContain("…");
      const png = PNG.sync.read(labelPng({ ...input, productName }));
      expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(input.url);
    }
    // A lot without an expiry date prints none.
    expect(words(labelSvg({ ...input, expiresAt: null }))).not.toContain("HSD");
  });
});
