import { getLocale, getTranslator, localeCookie } from "./locale.server";

// Vietnamese unless the visitor chose: many phones in Vietnam are set to English (ADR 022).
const req = (headers: Record<string, string>) => new Request("http://localhost/", { headers });

describe("the visitor's language", () => {
  it("is Vietnamese for a browser set to English that chose nothing", async () => {
    expect(await getLocale(req({ "Accept-Language": "en-US,en;q=0.9" }))).toBe("vi");
    expect(await getLocale(req({ "Accept-Language": "en-GB,vi;q=0.5" }))).toBe("vi");
    expect(await getLocale(req({}))).toBe("vi");
  });

  it("is the one the visitor chose (the lang cookie), whatever the browser says", async () => {
    const en = (await localeCookie.serialize("en")).split(";")[0]!;
    const vi = (await localeCookie.serialize("vi")).split(";")[0]!;
    expect(await getLocale(req({ Cookie: en }))).toBe("en");
    expect(await getLocale(req({ Cookie: vi, "Accept-Language": "en-US" }))).toBe("vi");
    expect((await getTranslator(req({ Cookie: en }))).t("store.results", { n: 1 })).toBe("1 product");
  });

  it("ignores a cookie that names no language", async () => {
    expect(await getLocale(req({ Cookie: "lang=fr", "Accept-Language": "en" }))).toBe("vi");
    expect(await getLocale(req({ Cookie: `lang=${Buffer.from(JSON.stringify("de")).toString("base64")}` }))).toBe("vi");
  });
});
