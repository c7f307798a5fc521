import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import webpush from "web-push";
import * as ece from "http_ece";

// RFC 8291 (Message Encryption for Web Push), Section 5 and Appendix A: the worked example.
const RFC8291 = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  uaPrivate: "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  authSecret: "BTBZMqHH6r4Tts7J_aSIgg",
  body:
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_" +
    "yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

function ecdhFrom(privateKey: string) {
  const ecdh = crypto.createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.from(privateKey, "base64url"));
  return ecdh;
}

describe("Web Push payload encryption (RFC 8291, aes128gcm)", () => {
  it("reproduces RFC 8291's worked example byte for byte through web-push's encryption call", () => {
    const sender = ecdhFrom(RFC8291.asPrivate);
    expect(sender.getPublicKey().toString("base64url")).toBe(RFC8291.asPublic);
    // The call web-push's encryption-helper makes, with the example's salt and sender key in place of random ones.
    const body = ece.encrypt(Buffer.from(RFC8291.plaintext), {
      version: "aes128gcm",
      dh: RFC8291.uaPublic,
      privateKey: sender,
      salt: RFC8291.salt,
      authSecret: RFC8291.authSecret,
    });
    expect(body.toString("base64url")).toBe(RFC8291.body);
  });

  it("decrypts the example's body back to its plaintext with the user agent's key", () => {
    const ua = ecdhFrom(RFC8291.uaPrivate);
    expect(ua.getPublicKey().toString("base64url")).toBe(RFC8291.uaPublic);
    const plain = ece.decrypt(Buffer.from(RFC8291.body, "base64url"), {
      version: "aes128gcm",
      privateKey: ua,
      authSecret: RFC8291.authSecret,
    });
    expect(plain.toString("utf8")).toBe(RFC8291.plaintext);
  });

  it("web-push's request to the example's subscription decrypts with the user agent's key (fresh salt and sender key)", () => {
    const vapid = webpush.generateVAPIDKeys();
    const request = webpush.generateRequestDetails(
      { endpoint: "https://push.example.net/push/abc", keys: { p256dh: RFC8291.uaPublic, auth: RFC8291.authSecret } },
      RFC8291.plaintext,
      { vapidDetails: { subject: "mailto:ops@example.vn", ...vapid }, TTL: 60, contentEncoding: "aes128gcm" },
    );
    expect(request.headers["Content-Encoding"]).toBe("aes128gcm");
    const body = request.body;
    expect(body.subarray(0, 16).toString("base64url")).not.toBe(RFC8291.salt);
    const plain = ece.decrypt(body, { version: "aes128gcm", privateKey: ecdhFrom(RFC8291.uaPrivate), authSecret: RFC8291.authSecret });
    expect(plain.toString("utf8")).toBe(RFC8291.plaintext);
  });
});
