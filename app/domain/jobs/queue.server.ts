import type { Prisma, PrismaClient } from "@prisma/client";

// Background work is a job in PostgreSQL (graphile-worker), never a promise left running
// in one process: any instance's worker runs it, a failure is retried with backoff, and
// a job whose instance died mid-run is released to the others (worker.server.ts).

export type JobName =
  | "label-sheet"
  | "label-sheet-expire"
  | "outbox-send"
  | "trace-story"
  | "refund"
  | "order-expire"
  | "guest-cart-cleanup"
  | "retention"
  | "phi-release"
  | "feeds-rebuild"
  | "open-data-snapshot"
  | "recall-alert-fanout"
  | "recall-alert-send";

type Db = PrismaClient | Prisma.TransactionClient;

export type JobOptions = {
  /** One pending job per key: adding it again replaces the one not yet started. */
  key?: string;
  maxAttempts?: number;
  runAt?: Date;
};

/**
 * Adds a job with the caller's database handle. Inside a transaction the job exists
 * exactly when the business write commits (no job for a rolled-back change, no change
 * without its job). graphile-worker NOTIFYs its workers on commit, so they start at once.
 */
export async function enqueueJob(db: Db, name: JobName, payload: Record<string, unknown>, options: JobOptions = {}) {
  await db.$executeRaw`SELECT graphile_worker.add_job(
    ${name}::text,
    ${JSON.stringify(payload)}::json,
    job_key => ${options.key ?? null}::text,
    max_attempts => ${options.maxAttempts ?? 10}::int,
    run_at => ${options.runAt?.toISOString() ?? null}::timestamptz)`;
}
