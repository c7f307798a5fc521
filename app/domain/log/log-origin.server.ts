import type { LogMeta, Prisma, PrismaClient } from "@prisma/client";
import { prisma } from "~/db.server";
import { setting } from "~/lib/env.server";

// The log's name (its origin), fixed when its first checkpoint is signed.

type Db = PrismaClient | Prisma.TransactionClient;

export function logOrigin(): string {
  const fromEnv = setting("LOG_ORIGIN");
  if (fromEnv) return fromEnv;
  const appUrl = setting("APP_URL");
  return appUrl ? `${new URL(appUrl).host}/log` : "ocop-trace.local/log";
}

/**
 * A process whose configured origin (LOG_ORIGIN, or APP_URL's host + /log) is not the log's
 * stored one. Signing under another name would break every witness (their checkpoints are of
 * the log by that name), so it does not sequence at all.
 */
export class LogOriginMismatchError extends Error {
  constructor(
    public stored: string,
    public configured: string,
  ) {
    super(
      `refuses to sequence: the log's origin is "${stored}" (fixed when its first checkpoint was signed, kept in LogMeta), ` +
        `but this process is configured for "${configured}" (LOG_ORIGIN, or APP_URL's host + /log). ` +
        `Set LOG_ORIGIN=${stored} (or the APP_URL the log was created with); a new name means a new log, and witnesses told.`,
    );
  }
}

/** The log's origin as fixed when it was created; null before its first checkpoint. */
export async function storedLogOrigin(db: Db = prisma): Promise<string | null> {
  const [row] = await db.$queryRaw<Pick<LogMeta, "origin">[]>`SELECT "origin" FROM "LogMeta" WHERE "id" = 1`;
  return row?.origin ?? null;
}

/**
 * Inside the sequencing transaction: the name to sign under. The first run fixes it (from the
 * first checkpoint if one exists, else this process's configuration); every later run must be
 * configured with the same, or throws LogOriginMismatchError before anything is numbered.
 */
export async function originToSign(tx: Prisma.TransactionClient): Promise<string> {
  const configured = logOrigin();
  let stored = await storedLogOrigin(tx);
  if (stored === null) {
    // Once per log: no write on the runs after (this runs every LOG_SEQUENCE_MS).
    await tx.$executeRaw`
      INSERT INTO "LogMeta" ("id", "origin")
      SELECT 1, COALESCE((SELECT split_part("body", E'\n', 1) FROM "LogCheckpoint" ORDER BY "size" ASC LIMIT 1), ${configured})
      ON CONFLICT ("id") DO NOTHING`;
    stored = await storedLogOrigin(tx);
  }
  if (stored !== configured) throw new LogOriginMismatchError(stored ?? "", configured);
  return configured;
}
