import { prisma } from "~/db.server";
import * as newProduct from "~/routes/producer.products.new";
import { optionalText, requiredText } from "~/domain/input/fields";
import { args, cookieFor, createProducer, payload, post, statusOf } from "../../../test/helpers";

// Names and free text are shown to other people (shoppers, inspectors, CSV readers). A bidi
// override makes "Mật ong\u202Egnp.exe" read backwards and zero-width characters make two
// names look the same, so the shared field helpers refuse them; Vietnamese in any form passes.

const HIDDEN = [
  "\u202A",
  "\u202B",
  "\u202C",
  "\u202D",
  "\u202E",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u200E",
  "\u200F",
  "\u061C",
  "\u200B",
  "\u200C",
  "\u200D",
  "\u2060",
  "\uFEFF",
];

describe("text fields", () => {
  it.each(HIDDEN.map((c) => [`U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, c]))("refuse %s inside a name or note", (_name, c) => {
    const required = requiredText(100).safeParse(`Mật ong${c}bạc hà`);
    expect(required.success).toBe(false);
    expect(required.error?.issues[0]?.message).toBe("error.hiddenCharacters");
    const optional = optionalText(100).safeParse(`ghi chú ${c}x`);
    expect(optional.success).toBe(false);
    expect(optional.error?.issues[0]?.message).toBe("error.hiddenCharacters");
  });

  it("accept Vietnamese typed in either Unicode form, stored composed (NFC)", () => {
    const nfc = "Nguyễn Thị Hương · Chè Shan tuyết Hà Giang";
    const nfd = nfc.normalize("NFD");
    expect(nfd).not.toBe(nfc);
    expect(requiredText(100).parse(nfd)).toBe(nfc);
    expect(requiredText(100).parse(`  ${nfc}  `)).toBe(nfc);
    expect(optionalText(100).parse(nfd)).toBe(nfc);
    expect(optionalText(100).parse("")).toBeUndefined();
    // The length limit counts the composed text: "ễ" is one character however it was typed.
    expect(requiredText(3).parse("ễễễ".normalize("NFD"))).toBe("ễễễ");
  });
});

describe("a product named with a right-to-left override", () => {
  it("is refused with the hidden-character message and nothing is written", async () => {
    const { user } = await createProducer();
    const cookie = await cookieFor(user.id);
    const send = (name: string) =>
      newProduct.action(
        args(post("/producer/products/new", { name, ocopGroup: "3", unit: "chai", priceVnd: "120000", description: "" }, cookie)),
      );
    const result = await send("Mật ong \u202Egnp.exe");
    expect(await statusOf(() => result)).toBe(400);
    expect(payload<{ fieldErrors: Record<string, string> }>(result).fieldErrors.name).toBe("error.hiddenCharacters");
    expect(await prisma.product.count()).toBe(0);
    expect(await statusOf(() => send("Mật ong bạc hà Mèo Vạc".normalize("NFD")))).toBe(302);
    expect((await prisma.product.findFirstOrThrow()).name).toBe("Mật ong bạc hà Mèo Vạc");
  });
});
