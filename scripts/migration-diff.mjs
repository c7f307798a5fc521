// Prints the SQL that takes the schema in <old-schema.prisma> to prisma/schema.prisma, for
// writing a new migration by hand-reviewed diff:
//   git show HEAD:prisma/schema.prisma > /tmp/old.prisma
//   node scripts/migration-diff.mjs /tmp/old.prisma > prisma/migrations/<stamp>_<name>/migration.sql
// Prisma's CLI wants a reachable database even for a schema-to-schema diff, so a throwaway
// embedded PostgreSQL is started for it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { projectRoot } from "./paths.mjs";
import { startEmbeddedPostgres } from "./postgres.mjs";

const from = process.argv[2];
if (!from || !fs.existsSync(from)) {
  console.error("usage: node scripts/migration-diff.mjs <old-schema.prisma>");
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-diff-"));
const server = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), fast: true });
try {
  const preload = `--require ${path.join(projectRoot, "scripts", "prisma-cli-preload.cjs")}`;
  const r = spawnSync(
    path.join(projectRoot, "node_modules", ".bin", "prisma"),
    [
      "migrate",
      "diff",
      "--from-schema-datamodel",
      from,
      "--to-schema-datamodel",
      path.join(projectRoot, "prisma", "schema.prisma"),
      "--script",
    ],
    { cwd: projectRoot, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DATABASE_URL: server.url, NODE_OPTIONS: preload } },
  );
  process.exitCode = r.status ?? 1;
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
