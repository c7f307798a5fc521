// The link in a recall message is opened by link previews (Zalo, Facebook, mail scanners) as
// well as by the buyer: opening it only shows the recall; the buyer's button press confirms.
import { prisma } from "~/db.server";
import * as recallAck from "./recall-ack.$token";
import { args, createProducer, createProductWithBatch, createUser, get, payload, post, statusOf } from "../../test/helpers";

async function notice() {
  const { producer } = await createProducer();
  const { batch } = await createProductWithBatch(producer.id, "ACK-1");
  const inspector = await createUser(["INSPECTOR"]);
  const recall = await prisma.recall.create({
    data: { batchId: batch.id, reason: "Dư lượng chì", severity: 1, instructions: "Ngừng dùng", createdById: inspector.id },
  });
  return prisma.recallNotice.create({
    data: { recallId: recall.id, orderId: "order-1", units: 2, token: `tok-${Math.random().toString(36).slice(2)}` },
  });
}

const acknowledgedAt = async (id: string) => (await prisma.recallNotice.findUniqueOrThrow({ where: { id } })).acknowledgedAt;

describe("a recall link", () => {
  it("shows the recall on GET, as often as it is opened, and acknowledges nothing", async () => {
    const n = await notice();
    for (let i = 0; i < 3; i++) {
      const page = payload<{ recall: { reason: string } | null; acknowledged: boolean }>(
        await recallAck.loader(args(get(`/recall-ack/${n.token}`), { token: n.token })),
      );
      expect(page.recall?.reason).toBe("Dư lượng chì");
      expect(page.acknowledged).toBe(false);
    }
    expect(await acknowledgedAt(n.id)).toBeNull();
  });

  it("acknowledges on the buyer's POST, once", async () => {
    const n = await notice();
    expect(await statusOf(() => recallAck.action(args(post(`/recall-ack/${n.token}`, {}), { token: n.token })))).toBe(303);
    const first = await acknowledgedAt(n.id);
    expect(first).toBeInstanceOf(Date);
    await recallAck.action(args(post(`/recall-ack/${n.token}`, {}), { token: n.token }));
    expect(await acknowledgedAt(n.id)).toEqual(first);
    const page = payload<{ acknowledged: boolean }>(await recallAck.loader(args(get(`/recall-ack/${n.token}`), { token: n.token })));
    expect(page.acknowledged).toBe(true);
  });

  it("answers 404 for an unknown token, on GET and POST", async () => {
    expect(await statusOf(() => recallAck.loader(args(get("/recall-ack/nope"), { token: "nope" })))).toBe(404);
    expect(await statusOf(() => recallAck.action(args(post("/recall-ack/nope", {}), { token: "nope" })))).toBe(404);
  });
});
