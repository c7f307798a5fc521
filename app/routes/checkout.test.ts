// Placing orders is limited per client address (LIMITS.checkout), with a plain message.
import { allowance } from "~/domain/security/rate-limits.server";
import { args, payload, postFrom, statusOf } from "../../test/helpers";
import * as checkout from "./checkout._index";

const order = {
  buyerName: "Chị Lan",
  buyerPhone: "0912345600",
  street: "Tổ 3",
  provinceCode: "19",
  wardCode: "05503",
  paymentMethod: "COD",
};
const place = (ip: string) => checkout.action(args(postFrom(ip, "/checkout", order)));

describe("checkout rate limit", () => {
  it("refuses a client past its allowance of orders, and only that client", async () => {
    // Without a cart each try ends at /cart, but it is counted: the limit comes before any work.
    for (let i = 0; i < allowance("checkout"); i++) expect(await statusOf(() => place("192.0.2.50"))).toBe(302);
    const over = await place("192.0.2.50");
    expect(await statusOf(() => over)).toBe(429);
    expect(payload<{ formError?: string }>(over).formError).toMatch(/^error\.tooManyRequests\|\d+$/);
    expect(await statusOf(() => place("192.0.2.51"))).toBe(302);
  });
});
