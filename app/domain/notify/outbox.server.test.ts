import { SMTPServer } from "smtp-server";
import { makeWorkerUtils } from "graphile-worker";
import { prisma } from "~/db.server";
import { runDueJobs } from "~/domain/jobs/worker.server";
import { freePort } from "../../../scripts/postgres.mjs";
import { queueMessage } from "./outbox.server";

// The outbox through the job queue, against a real SMTP server: a message is sent once
// even when two workers run at the same moment, and a failed send is retried.

let server: SMTPServer;
const received: string[] = [];
let refuseNext = 0;

beforeAll(async () => {
  const port = await freePort();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let body = "";
      stream.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      stream.on("end", () => {
        if (refuseNext > 0) {
          refuseNext -= 1;
          return callback(Object.assign(new Error("mailbox busy"), { responseCode: 451 }));
        }
        received.push(`${session.envelope.rcptTo.map((r) => r.address).join(",")}|${body}`);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function queue(recipient: string) {
  await prisma.$transaction((tx) => queueMessage(tx, { recipient, subject: "Đơn hàng DH123 đã xác nhận", body: "Cảm ơn bạn đã mua hàng." }));
  return prisma.outboxMessage.findFirstOrThrow({ where: { recipient }, orderBy: { createdAt: "desc" } });
}

describe("outbox delivery", () => {
  it("sends a message once although two workers run at the same moment", async () => {
    const message = await queue("lan@example.vn");
    await Promise.all([runDueJobs(), runDueJobs()]);
    expect(received.filter((r) => r.startsWith("lan@example.vn|"))).toHaveLength(1);
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "SENT", error: null });
    await runDueJobs();
    expect(received.filter((r) => r.startsWith("lan@example.vn|"))).toHaveLength(1);
  });

  it("marks a refused send FAILED and retries it, then SENT", async () => {
    refuseNext = 1;
    const message = await queue("hung@example.vn");
    await runDueJobs();
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "FAILED" });
    // The queue kept the job for a retry with backoff; bring the retry forward.
    const utils = await makeWorkerUtils({ connectionString: process.env.DATABASE_URL! });
    try {
      const [job] = await utils.withPgClient((c) => c.query<{ id: string; attempts: number }>("SELECT id, attempts FROM graphile_worker.jobs WHERE key = $1", [`outbox:${message.id}`]).then((r) => r.rows));
      expect(job?.attempts).toBe(1);
      await utils.rescheduleJobs([job!.id], { runAt: new Date() });
    } finally {
      await utils.release();
    }
    await runDueJobs();
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "SENT" });
    expect(received.filter((r) => r.startsWith("hung@example.vn|"))).toHaveLength(1);
  });

  it("queues no delivery job for a phone number (no SMS gateway): the message stays listed as PENDING", async () => {
    const message = await queue("0912000111");
    expect(await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${`outbox:${message.id}`}`).toEqual([{ n: 0 }]);
    expect(message.status).toBe("PENDING");
  });
});
