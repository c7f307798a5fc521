import pg from "pg";
import { allowance, peekLimit, resetLimit, takeToken } from "./rate-limits.server";

describe("rate limits in PostgreSQL", () => {
  it("refuses a key once its allowance is used, with how long to wait, and leaves other keys alone", async () => {
    const n = allowance("report");
    for (let i = 0; i < n; i++) expect((await takeToken("report", "198.51.100.1")).ok).toBe(true);
    const refused = await takeToken("report", "198.51.100.1");
    expect(refused).toMatchObject({ ok: false });
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeGreaterThan(500);
    expect((await takeToken("report", "198.51.100.2")).ok).toBe(true);
    // Another limit's count under the same key is separate.
    expect((await takeToken("location", "198.51.100.1")).ok).toBe(true);
    expect((await peekLimit("report", "198.51.100.1")).ok).toBe(false);
    await resetLimit("report", "198.51.100.1");
    expect((await peekLimit("report", "198.51.100.1")).ok).toBe(true);
  });

  it("counts in the database, so every instance sees the same count", async () => {
    await takeToken("signup", "203.0.113.77");
    await takeToken("signup", "203.0.113.77");
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT points FROM "RateLimit" WHERE key = $1`, ["signup:203.0.113.77"]);
      expect(rows).toEqual([{ points: 2 }]);
    } finally {
      await db.end();
    }
  });
});
