import { EventEmitter } from "node:events";
import pg from "pg";
import { Logger, run, runOnce, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import { databaseUrl, prisma } from "~/db.server";
import { APPLICATION_NAME } from "~/lib/instance.server";
import { appPool } from "~/lib/pg-pools.server";
import { expireLabelPdf, runLabelJob } from "~/domain/trace/label-jobs.server";
import { sendOutboxMessage, requeueUndelivered } from "~/domain/notify/outbox.server";
import { rebuildTraceStory } from "~/domain/trace/trace-page.server";
import { runRefund } from "~/domain/payments/refunds.server";
import { expireOrder, sweepExpiredOrders } from "~/domain/orders/expiry.server";
import { startLogSequencer } from "~/domain/log/log.server";
import { removeStaleGuestCarts } from "~/domain/orders/cart.server";
import { pruneExpired } from "~/domain/security/retention.server";
import { endPhiHold } from "~/domain/inspection/recalls.server";
import type { JobName } from "./queue.server";

// The job runner every app instance starts (from server.mjs, through the build's entry).
export const tasks: Record<JobName, TaskList[string]> = {
  "label-sheet": async (payload) => runLabelJob((payload as { jobId: string }).jobId),
  "label-sheet-expire": async (payload) => expireLabelPdf((payload as { jobId: string }).jobId),
  "outbox-send": async (payload) => sendOutboxMessage((payload as { messageId: string }).messageId),
  "trace-story": async (payload) => rebuildTraceStory((payload as { batchId: string }).batchId),
  refund: async (payload) => runRefund((payload as { refundId: string }).refundId),
  "order-expire": async (payload) => void (await expireOrder((payload as { orderId: string }).orderId)),
  "guest-cart-cleanup": async () => void (await removeStaleGuestCarts()),
  retention: async () => void (await pruneExpired()),
  "phi-release": async (payload) => void (await endPhiHold((payload as { batchId: string }).batchId)),
};

/**
 * Scheduled jobs (graphile-worker's crontab: minute hour day month weekday task). Every
 * instance runs the scheduler; graphile-worker's known_crontabs table makes each tick one job.
 */
export const CRONTAB = ["17 * * * * retention", "47 * * * * guest-cart-cleanup"].join("\n");

/** How often each instance looks for jobs held by an instance that is gone. */
const SWEEP_EVERY_MS = Number(process.env.JOB_SWEEP_MS ?? 3000);

/**
 * Releases the jobs of workers whose instance has no connection left to the database.
 * Each instance keeps one connection open for its whole life under its own
 * application_name (the presence connection below), so "no connection" means the
 * process is gone: killed, crashed or its host lost. graphile-worker alone would keep
 * such a job locked for 4 hours. Never this instance's own (it is running this): just after a
 * database restart its presence connection may not be back yet.
 */
export async function releaseJobsOfDeadInstances(): Promise<string[]> {
  const dead = await prisma.$queryRaw<{ workerId: string }[]>`
    SELECT w."workerId" FROM "JobWorker" w
    WHERE w."instanceId" <> ${APPLICATION_NAME}
      AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = w."instanceId")`;
  if (dead.length === 0) return [];
  const ids = dead.map((d) => d.workerId);
  await prisma.$executeRaw`SELECT graphile_worker.force_unlock_workers(${ids}::text[])`;
  await prisma.jobWorker.deleteMany({ where: { workerId: { in: ids } } });
  return ids;
}

/** Unlocks the jobs of these worker pools (of this instance, ended) and forgets them. */
async function releaseWorkerPools(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await prisma.$executeRaw`SELECT graphile_worker.force_unlock_workers(${ids}::text[])`;
  await prisma.jobWorker.deleteMany({ where: { workerId: { in: ids } } });
}

/** Runs every job that is due now, in this process, and returns (tests). */
export async function runDueJobs(): Promise<void> {
  await runOnce({ connectionString: databaseUrl(), taskList: tasks, noHandleSignals: true, logger: new Logger(() => () => {}) });
}

export type BackgroundWork = { stop: () => Promise<void> };

/**
 * The presence connection, opened again whenever it is lost (a database restart): without
 * it, the sweep of any instance, this one's included, would take this live instance for
 * dead and release the jobs it is running.
 */
async function keepPresence(connectionString: string, log: (msg: string) => void) {
  let stopped = false;
  let retrying = false; // one retry loop at a time, whichever path noticed the loss
  let client: pg.Client;
  const open = async () => {
    const next = new pg.Client({ connectionString, application_name: APPLICATION_NAME });
    next.on("error", (e) => {
      if (next !== client) return;
      log(`presence connection lost: ${e.message}`);
      void next.end().catch(() => {});
      retry();
    });
    try {
      await next.connect();
    } catch (e) {
      void next.end().catch(() => {});
      throw e;
    }
    client = next;
  };
  const retry = () => {
    if (stopped || retrying) return;
    retrying = true;
    const attempt = () => {
      void open().then(
        () => ((retrying = false), log("presence connection restored")),
        () => (stopped ? (retrying = false) : setTimeout(attempt, 1000).unref()),
      );
    };
    setTimeout(attempt, 1000).unref();
  };
  await open();
  return {
    stop: async () => {
      stopped = true;
      await client.end().catch(() => {});
    },
  };
}

export async function startBackgroundWork(options: { concurrency?: number; log?: (msg: string) => void } = {}): Promise<BackgroundWork> {
  const log = options.log ?? ((msg: string) => console.log(`[jobs] ${msg}`));
  const connectionString = databaseUrl();
  // Held open until stop(): the proof of life the sweeper looks for.
  const presence = await keepPresence(connectionString, log);
  // Error listeners on the pool and each of its clients (graphile-worker's LISTEN one included), a bounded wait.
  const pool = appPool("jobs", { connectionString, max: (options.concurrency ?? 2) + 2 });
  const events: WorkerEvents = new EventEmitter();
  const registered: Promise<unknown>[] = [];
  const poolIds: string[] = [];
  // graphile-worker 0.18 locks jobs in the name of the worker pool (jobs.locked_by = pool id).
  events.on("pool:create", ({ workerPool }) => {
    poolIds.push(workerPool.id);
    registered.push(prisma.jobWorker.create({ data: { workerId: workerPool.id, instanceId: APPLICATION_NAME } }).catch((e: unknown) => log(`could not register the worker pool: ${String(e)}`)));
  });
  events.on("job:error", ({ job, error }) => log(`${job.task_identifier} #${job.id} failed (attempt ${job.attempts}/${job.max_attempts}): ${error instanceof Error ? error.message : String(error)}`));
  const start = () => run({
    pgPool: pool,
    concurrency: options.concurrency ?? 2,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: tasks,
    crontab: CRONTAB,
    events,
    // graphile-worker 0.18 completes and fails jobs without awaiting it when these are -1 (its
    // default): a database stop at that moment was an unhandled rejection that ended the process
    // (issue 20). Batched (0 ms), the errors it counts as passing are retried with backoff; on
    // any other (57P01, ECONNREFUSED) its worker pool stops, and the runner is started again below.
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    logger: new Logger(() => (level, message) => {
      if (level === "error" || level === "warning") log(message);
    }),
  });
  let runner: Runner = await start();
  let stopped = false;
  // A worker pool that could not mark a job done or failed (the database went away) stops and
  // ends its runner's promise: start a new one, so jobs run again once the database is back.
  const supervise = (current: Runner) =>
    current.promise.then(
      () => restart(current, "stopped"),
      (e: unknown) => restart(current, e instanceof Error ? e.message : String(e)),
    );
  const restart = (current: Runner, why: string) => {
    if (stopped || current !== runner) return;
    log(`job runner ended (${why}); starting it again in 5 s`);
    // The jobs the ended pool still holds (one it could not mark failed or done while the database
    // was away) are unlocked first: no sweep would (this instance is alive), and graphile-worker waits 4 h.
    const ended = poolIds.splice(0);
    const again = () =>
      setTimeout(() => {
        if (stopped) return;
        releaseWorkerPools(ended)
          .then(() => start())
          .then((next) => ((runner = next), void supervise(next)), () => again());
      }, 5000).unref();
    again();
  };
  void supervise(runner);
  await Promise.all(registered);
  await requeueUndelivered();
  // Safety net for the per-order expiry jobs (an order made before they existed, a job lost by hand).
  await sweepExpiredOrders().catch((e: unknown) => log(`expired-order sweep failed: ${String(e)}`));
  const sweep = async () => {
    const released = await releaseJobsOfDeadInstances().catch((e: unknown) => (log(`sweep failed: ${String(e)}`), []));
    if (released.length) log(`released the jobs of ${released.length} worker(s) of a stopped instance`);
  };
  await sweep();
  const timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  timer.unref();
  // Every instance offers to sequence the public log; an advisory lock lets one at a time.
  const sequencer = startLogSequencer(log);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await sequencer.stop();
      await runner.stop().catch(() => {}); // may have ended already (see restart)
      await prisma.jobWorker.deleteMany({ where: { instanceId: APPLICATION_NAME } });
      await pool.end();
      await presence.stop();
    },
  };
}
