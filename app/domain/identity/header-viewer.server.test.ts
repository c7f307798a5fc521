// The site header's viewer in one query: the same answer the separate session, user and cart
// lookups gave, for a signed-in buyer, an expired session, a guest cart and a stranger's ids.
import { prisma } from "~/db.server";
import { startSession } from "./sessions.server";
import { headerViewer } from "./header-viewer.server";
import { createProducer, createUser } from "../../../test/helpers";

async function cartWith(quantities: number[], userId: string | null = null) {
  const { producer } = await createProducer("APPROVED", "HTX Giỏ");
  const cart = await prisma.cart.create({ data: { userId } });
  for (const [i, quantity] of quantities.entries()) {
    const product = await prisma.product.create({
      data: { producerId: producer.id, name: `Hàng ${i}`, ocopGroup: 1, unit: "goi", priceVnd: 1000, description: "" },
    });
    await prisma.cartItem.create({ data: { cartId: cart.id, productId: product.id, quantity } });
  }
  return cart;
}

describe("headerViewer", () => {
  it("names a signed-in user with their roles and counts their own cart's units, not the guest cookie's", async () => {
    const user = await createUser(["SHOPPER", "PRODUCER"], "Chị Thu");
    await cartWith([2, 3], user.id);
    const guest = await cartWith([7]);
    const viewer = await headerViewer(await startSession(user.id), guest.id);
    expect(viewer.user?.name).toBe("Chị Thu");
    expect([...viewer.user!.roles].sort()).toEqual(["PRODUCER", "SHOPPER"]);
    expect(viewer.cartItems).toBe(5);
  });

  it("treats an expired or unknown session as nobody, and then counts the guest cart", async () => {
    const user = await createUser(["SHOPPER"], "Anh Hùng");
    await cartWith([4], user.id);
    const guest = await cartWith([1, 1]);
    const session = await startSession(user.id);
    await prisma.session.update({ where: { id: session }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await headerViewer(session, guest.id)).toEqual({ user: null, cartItems: 2 });
    expect(await headerViewer("no-such-session", guest.id)).toEqual({ user: null, cartItems: 2 });
    expect(await headerViewer(null, null)).toEqual({ user: null, cartItems: 0 });
  });

  it("does not count a signed-in user's cart for a guest cookie that names it", async () => {
    const user = await createUser(["SHOPPER"], "Chị Lan");
    const owned = await cartWith([9], user.id);
    expect(await headerViewer(null, owned.id)).toEqual({ user: null, cartItems: 0 });
  });
});
