import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import pg from "pg";
import { seed } from "../prisma/seed";
import { prisma } from "~/db.server";
import { withDatabase } from "./global-setup";

// `npm run check:invariants` as an operator runs it: without DATA_DIR it once
// created a new, empty database and printed "All invariants hold". It must refuse a
// database that does not exist, has no data or was just created, and always say which
// database it checked (host, port, name; never the password).

function check(env: Record<string, string | undefined>) {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  delete clean.DATABASE_URL;
  delete clean.DATA_DIR;
  const r = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/check-invariants.ts"], {
    env: { ...clean, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const password = () => decodeURIComponent(new URL(process.env.DATABASE_URL!).password);

describe("npm run check:invariants", () => {
  it("refuses to run without a database and creates none (DATA_DIR pointing at an empty folder)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-check-"));
    const r = check({ DATA_DIR: dir });
    expect(r.status, r.out).not.toBe(0);
    expect(r.out).toMatch(/no database/i);
    expect(r.out).not.toContain("All invariants hold");
    expect(fs.existsSync(path.join(dir, "pg")), "no PostgreSQL cluster was created").toBe(false);
  });

  it("refuses a database that has no data (just created and migrated), naming it", async () => {
    const name = `${process.env.OCOP_TEST_PREFIX}_empty_${Date.now()}`;
    const admin = new pg.Client({ connectionString: withDatabase(process.env.DATABASE_URL!, "postgres") });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${process.env.OCOP_TEST_TEMPLATE}"`);
    await admin.end();
    const r = check({ DATABASE_URL: withDatabase(process.env.DATABASE_URL!, name) });
    expect(r.status, r.out).not.toBe(0);
    expect(r.out).toMatch(/no data/i);
    expect(r.out).toContain(name);
    expect(r.out).not.toContain("All invariants hold");
    expect(r.out).not.toContain(password());
  });

  it("checks a database with data and says which one (host, port, name, no password)", async () => {
    await seed();
    await prisma.$disconnect();
    const url = new URL(process.env.DATABASE_URL!);
    const r = check({ DATABASE_URL: url.toString() });
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain(`${url.hostname}:${url.port}/${url.pathname.slice(1)}`);
    expect(r.out).toContain("All invariants hold");
    expect(r.out).not.toContain(password());
  }, 60_000);
});
