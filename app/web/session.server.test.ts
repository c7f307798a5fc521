import { prisma } from "~/db.server";
import { createUser } from "../../test/helpers";
import { startSession } from "~/domain/identity/sessions.server";
import { commitSessionHeader, getSessionUserId } from "./session.server";

// SESSION_SECRET="new,old": cookies are signed with the first secret and every listed one
// is accepted, so a secret can be rotated without logging everyone out.

const saved = process.env.SESSION_SECRET;
afterEach(() => {
  process.env.SESSION_SECRET = saved;
});

async function cookieSignedWith(secret: string, userId: string): Promise<string> {
  process.env.SESSION_SECRET = secret;
  return (await commitSessionHeader(new Request("http://localhost/"), await startSession(userId))).split(";")[0]!;
}

const withCookie = (cookie: string) => new Request("http://localhost/", { headers: { Cookie: cookie } });

describe("session secret rotation", () => {
  it("accepts a cookie signed with an older secret still in the list, signs new ones with the first", async () => {
    const user = await createUser(["SHOPPER"]);
    const old = await cookieSignedWith("secret-cu-2025", user.id);
    process.env.SESSION_SECRET = "secret-moi-2026,secret-cu-2025";
    expect(await getSessionUserId(withCookie(old))).toBe(user.id);
    const fresh = await cookieSignedWith("secret-moi-2026,secret-cu-2025", user.id);
    // Signed with the new secret: once the old one is dropped, the new cookie still works and the old does not.
    process.env.SESSION_SECRET = "secret-moi-2026";
    expect(await getSessionUserId(withCookie(fresh))).toBe(user.id);
    expect(await getSessionUserId(withCookie(old))).toBeNull();
  });

  it("refuses a cookie signed only with a secret not in the list", async () => {
    const user = await createUser(["SHOPPER"]);
    const stranger = await cookieSignedWith("secret-la-khac", user.id);
    process.env.SESSION_SECRET = "secret-moi-2026,secret-cu-2025";
    expect(await getSessionUserId(withCookie(stranger))).toBeNull();
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("refuses an empty secret or an empty entry", async () => {
    process.env.SESSION_SECRET = "secret-moi-2026,";
    await expect(commitSessionHeader(new Request("http://localhost/"), "x")).rejects.toThrow(/^SESSION_SECRET: must not be empty/);
    process.env.SESSION_SECRET = "";
    await expect(commitSessionHeader(new Request("http://localhost/"), "x")).rejects.toThrow(/^SESSION_SECRET/);
  });
});
