import http from "node:http";
import { SMTPServer } from "smtp-server";
import { makeWorkerUtils } from "graphile-worker";
import { prisma } from "~/db.server";
import { runDueJobs } from "~/domain/jobs/worker.server";
import { freePort } from "../../../scripts/postgres.mjs";
import { listOutbox, queueMessage } from "./outbox.server";

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

async function queue(recipient: string, body = "Cảm ơn bạn đã mua hàng.", secret = false) {
  await prisma.$transaction((tx) => queueMessage(tx, { recipient, subject: "Đơn hàng DH123 đã xác nhận", body, secret }));
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
      const [job] = await utils.withPgClient((c) =>
        c
          .query<{ id: string; attempts: number }>("SELECT id, attempts FROM graphile_worker.jobs WHERE key = $1", [`outbox:${message.id}`])
          .then((r) => r.rows),
      );
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
    expect(
      await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${`outbox:${message.id}`}`,
    ).toEqual([{ n: 0 }]);
    expect(message.status).toBe("PENDING");
  });

  it("sends a phone message through the SMS webhook when one is configured (JSON {to, text}, bearer token), retrying a refusal", async () => {
    const hits: { auth: string | undefined; body: unknown }[] = [];
    let refuse = 1;
    const gateway = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      req.on("end", () => {
        if (refuse > 0) {
          refuse -= 1;
          res.writeHead(503).end("busy");
          return;
        }
        hits.push({ auth: req.headers.authorization, body: JSON.parse(raw) });
        res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => gateway.listen(port, "127.0.0.1", resolve));
    process.env.SMS_WEBHOOK_URL = `http://127.0.0.1:${port}/sms`;
    process.env.SMS_WEBHOOK_TOKEN = "gw-token";
    try {
      const message = await queue("0912000222", "Mã đăng ký ocop-trace của bạn: 123456.", true);
      await runDueJobs();
      expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "FAILED" });
      const utils = await makeWorkerUtils({ connectionString: process.env.DATABASE_URL! });
      try {
        const [job] = await utils.withPgClient((c) =>
          c.query<{ id: string }>("SELECT id FROM graphile_worker.jobs WHERE key = $1", [`outbox:${message.id}`]).then((r) => r.rows),
        );
        await utils.rescheduleJobs([job!.id], { runAt: new Date() });
      } finally {
        await utils.release();
      }
      await runDueJobs();
      expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "SENT" });
      expect(hits).toEqual([{ auth: "Bearer gw-token", body: { to: "0912000222", text: "Mã đăng ký ocop-trace của bạn: 123456." } }]);
    } finally {
      delete process.env.SMS_WEBHOOK_URL;
      delete process.env.SMS_WEBHOOK_TOKEN;
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
    }
  });

  it("never lists the body of a message that holds a code", async () => {
    await queue("0912000333", "Mã lấy lại mật khẩu: 654321.", true);
    await queue("0912000333", "Đơn hàng đã giao.");
    const listed = (await listOutbox()).filter((m) => m.recipient === "0912000333");
    expect(listed.map((m) => m.body).sort()).toEqual([null, "Đơn hàng đã giao."]);
    expect(JSON.stringify(listed)).not.toContain("654321");
  });
});
