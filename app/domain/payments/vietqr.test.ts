import QRCode from "qrcode";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { QRPay } from "vietnam-qr-pay";
import { crc16, vietQrPayload } from "./vietqr";

describe("VietQR payload", () => {
  it("computes CRC-16/CCITT-FALSE per the published test vectors", () => {
    expect(crc16("123456789")).toBe("29B1");
    expect(crc16("00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304")).toBe("F4E5");
  });

  const input = { bankBin: "970436", accountNumber: "0011001234567", amountVnd: 185000, memo: "DH7K3M9XQ2" };

  it("is read back by an independent decoder (vietnam-qr-pay): BIN, account, amount, memo, valid CRC", () => {
    const payload = vietQrPayload(input);
    const decoded = new QRPay(payload);
    expect(decoded.isValid).toBe(true);
    expect(decoded.initMethod).toBe("12");
    expect(decoded.consumer.bankBin).toBe("970436");
    expect(decoded.consumer.bankNumber).toBe("0011001234567");
    expect(decoded.amount).toBe("185000");
    expect(decoded.currency).toBe("704");
    expect(decoded.nation).toBe("VN");
    expect(decoded.additionalData.purpose).toBe("DH7K3M9XQ2");
    // One changed digit breaks the checksum.
    expect(new QRPay(payload.replace("185000", "186000")).isValid).toBe(false);
  });

  it("renders to a QR image that jsQR decodes to the same payload", async () => {
    const payload = vietQrPayload(input);
    const png = PNG.sync.read(await QRCode.toBuffer(payload, { type: "png", errorCorrectionLevel: "M", margin: 2, scale: 6 }));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(payload);
  });

  it("refuses what a bank app could not use", () => {
    expect(() => vietQrPayload({ ...input, bankBin: "97043" })).toThrow();
    expect(() => vietQrPayload({ ...input, amountVnd: 0 })).toThrow();
    expect(() => vietQrPayload({ ...input, amountVnd: 10.5 })).toThrow();
    expect(() => vietQrPayload({ ...input, memo: "Đơn hàng" })).toThrow();
  });
});
