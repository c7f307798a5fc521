import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";

// Builds one migrated template database; each test file copies it (setup-env.ts).
export default function setup() {
  // The scan page's document links the built stylesheet, which a fresh clone has not made yet.
  if (!fs.existsSync("app/styles/tailwind.css")) execFileSync("npm", ["run", "build:css"], { stdio: "ignore" });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-test-"));
  const template = path.join(dir, "template.db");
  const db = new Database(template);
  const migrationsDir = path.resolve("prisma/migrations");
  for (const name of fs.readdirSync(migrationsDir).sort()) {
    const file = path.join(migrationsDir, name, "migration.sql");
    if (fs.existsSync(file)) db.exec(fs.readFileSync(file, "utf8"));
  }
  db.close();
  process.env.OCOP_TEST_TEMPLATE_DB = template;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
