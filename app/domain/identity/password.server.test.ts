import { hashPassword, verifyPassword } from "./password.server";

describe("password hashing (scrypt)", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("nongdan123");
    expect(hash.startsWith("scrypt$32768$8$1$")).toBe(true);
    expect(hash).not.toContain("nongdan123");
    expect(await verifyPassword("nongdan123", hash)).toBe(true);
    expect(await verifyPassword("nongdan124", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  it("treats Vietnamese text the same whether composed or decomposed", async () => {
    const hash = await hashPassword("mậtkhẩu-Việt");
    expect(await verifyPassword("mậtkhẩu-Việt".normalize("NFD"), hash)).toBe(true);
  });

  it("refuses malformed stored hashes", async () => {
    expect(await verifyPassword("x", "plaintext")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$1$2$3$4$5")).toBe(false);
  });
});
