// Prisma 6.19 CLI config: JS engine + the PostgreSQL driver adapter, so no native
// engine is ever downloaded (ADR 001). DATABASE_URL must name a
// PostgreSQL database: `npm start` and the test setup start an embedded server and
// set it before they call the CLI.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= "/dev/null";
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/dev/null";

import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  // `migrate diff` between schema files never connects, so an unset URL only fails
  // the commands that need a database, with PostgreSQL's own "connection refused".
  // Idle connections close at once: the CLI never ends its pool, and pg's default 10 s idle
  // timeout kept every `prisma migrate deploy` alive after its work was done (with the
  // engine's own timer, see scripts/prisma-cli-preload.cjs).
  adapter: () =>
    Promise.resolve(
      new PrismaPg({
        connectionString: process.env.DATABASE_URL ?? "postgresql://localhost:1/DATABASE_URL-is-not-set",
        idleTimeoutMillis: 50,
      }),
    ),
});
