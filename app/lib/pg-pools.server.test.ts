import pg from "pg";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { appPool, poolApplicationName, withReleasingTransactions } from "./pg-pools.server";
import { isDatabaseOutage } from "~/web/database-outage.server";

// A transaction whose connection dies (PostgreSQL stopped, restarted or the backend killed)
// must give its pooled client back, destroyed: Prisma 6.19 sends ROLLBACK through the
// adapter before it calls rollback(), and when that ROLLBACK fails the plain adapter never
// releases the client, so each such transaction takes one connection out of the pool for good.

let admin: pg.Client;
beforeAll(async () => {
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  admin.on("error", () => {});
  await admin.connect();
});
afterAll(() => admin.end());

async function deadTransaction(db: PrismaClient) {
  return db
    .$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await admin.query("SELECT pg_terminate_backend($1)", [row!.pid]);
      await new Promise((r) => setTimeout(r, 100));
      await tx.$queryRaw`SELECT 1`;
    })
    .then(
      () => "committed",
      (e: unknown) => String(e),
    );
}

describe.each([
  ["the plain adapter", false],
  ["withReleasingTransactions", true],
])("a transaction whose backend is terminated, through %s", (_name, releasing) => {
  it(
    releasing
      ? "releases (destroys) its client: the pool is empty again and serves the next query"
      : "keeps its dead client checked out (the leak found by stopping PostgreSQL under checkouts)",
    async () => {
      const pool = appPool("db", { connectionString: process.env.DATABASE_URL, max: 2, connectionTimeoutMillis: 1000 });
      const factory = new PrismaPg(pool);
      const db = new PrismaClient({ adapter: releasing ? withReleasingTransactions(factory) : factory });
      try {
        for (let i = 0; i < 2; i++) expect(await deadTransaction(db)).not.toBe("committed");
        await new Promise((r) => setTimeout(r, 200));
        if (releasing) {
          expect(pool.totalCount).toBe(0);
          expect(await db.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
        } else {
          // Both connections are dead and checked out: the next query waits for the pool's timeout.
          expect(pool.totalCount - pool.idleCount).toBe(2);
          await expect(db.$queryRaw`SELECT 1`).rejects.toThrow(/timeout exceeded when trying to connect/);
        }
      } finally {
        await db.$disconnect().catch(() => {});
      }
    },
  );
});

it("a query that waits longer than the pool's wait for a connection fails as a database outage (503), not forever", async () => {
  const pool = appPool("db", { connectionString: process.env.DATABASE_URL, max: 1, connectionTimeoutMillis: 300 });
  const db = new PrismaClient({ adapter: withReleasingTransactions(new PrismaPg(pool)) });
  let hold = () => {};
  const held = db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1`;
    await new Promise<void>((r) => (hold = r));
  });
  try {
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    const error = await db.$queryRaw`SELECT 1`.then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - t).toBeLessThan(2000);
    expect(String(error)).toMatch(/timeout exceeded when trying to connect/);
    expect(isDatabaseOutage(error)).toBe(true);
  } finally {
    hold();
    await held;
    await db.$disconnect();
  }
});

it("names each pool after this instance and its role", () => {
  expect(poolApplicationName("db")).toMatch(/^ocop:.+:[0-9a-f]{8}:db$/);
  expect(Buffer.byteLength(poolApplicationName("limits"))).toBeLessThan(64);
});
