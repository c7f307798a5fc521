import { EventEmitter } from "node:events";
import pg from "pg";
import { Logger, run, runOnce, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import type { JobWorker } from "@prisma/client";
import { databaseUrl, prisma } from "~/db.server";
import { APPLICATION_NAME } from "~/lib/instance.server";
import { appPool } from "~/lib/pg-pools.server";
import { expireLabelPdf, runLabelJob } from "~/domain/trace/label-jobs.server";
import { sendOutboxMessage, requeueUndelivered } from "~/domain/notify/outbox.server";
import { rebuildTraceStory } from "~/domain/trace/story-jobs.server";
import { runRefund } from "~/domain/payments/refunds.server";
import { expireOrder, sweepExpiredOrders } from "~/domain/orders/expiry.server";
import { startLogSequencer } from "~/domain/log/sequencer.server";
import { removeStaleGuestCarts } from "~/domain/orders/cart.server";
import { pruneExpired } from "~/domain/security/retention.server";
import { endPhiHold } from "~/domain/inspection/recalls.server";
import { rebuildChangedFeeds } from "~/domain/feeds/build.server";
import { buildSnapshot } from "~/domain/open-data/snapshots.server";
import { fanOutNotice, sendDeliveries } from "~/domain/recall-alerts/delivery.server";
import type { JobName } from "./queue.server";

// The job runner every app instance starts (from server/index.ts, through the build's serverServices).
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
  "feeds-rebuild": async () => void (await rebuildChangedFeeds()),
  "open-data-snapshot": async () => void (await buildSnapshot()),
  "recall-alert-fanout": async (payload) => void (await fanOutNotice((payload as { noticeId: string }).noticeId)),
  "recall-alert-send": async (payload, helpers) => {
    const { noticeId, deliveryIds } = payload as { noticeId: string; deliveryIds: string[] };
    await sendDeliveries(noticeId, deliveryIds, { lastAttempt: helpers.job.attempts >= helpers.job.max_attempts });
  },
};

/**
 * Scheduled jobs (graphile-worker's crontab: minute hour day month weekday task). Every
 * instance runs the scheduler; graphile-worker's known_crontabs table makes each tick one job.
 * Times are UTC: 19:10 UTC is 02:10 in Vietnam, when the open-data snapshot of the new day is built.
 */
// feeds-rebuild looks every 3 minutes and builds only what changed; its own queue runs one at a time.
// open-data-snapshot writes the day's open datasets at 02:10 Vietnam time (19:10 UTC).
export const CRONTAB = [
  "17 * * * * retention",
  "47 * * * * guest-cart-cleanup",
  "*/3 * * * * feeds-rebuild ?queue=feeds",
  "10 19 * * * open-data-snapshot",
].join("\n");

/** graphile-worker's log levels worth a line (its LogLevel is a const enum, which isolatedModules cannot read). */
const SEVERE_LOG_LEVELS = new Set<string>(["error", "warning"]);

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
  const dead = await prisma.$queryRaw<Pick<JobWorker, "workerId">[]>`
    SELECT w."workerId" FROM "JobWorker" w
    WHERE w."instanceId" <> ${APPLICATION_NAME}
      AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = w."instanceId")`;
  if (dead.length === 0) return [];
  const ids = dead.map((d) => d.workerId);
  await prisma.$executeRaw`SELECT graphile_worker.force_unlock_workers(${ids}::text[])`;
  await prisma.jobWorker.deleteMany({ where: { workerId: { in: ids } } });
  return ids;
}

/** Unlocks the jobs of these workers (of this instance, ended) and forgets them. */
async function releaseWorkers(ids: string[]): Promise<void> {
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
  const workerIds: string[] = [];
  // graphile-worker 0.16 locks jobs in the name of the worker that runs them (jobs.locked_by = worker id).
  events.on("worker:create", ({ worker }) => {
    workerIds.push(worker.workerId);
    registered.push(
      prisma.jobWorker
        .create({ data: { workerId: worker.workerId, instanceId: APPLICATION_NAME } })
        .catch((e: unknown) => log(`could not register the worker: ${String(e)}`)),
    );
  });
  events.on("job:error", ({ job, error }) =>
    log(
      `${job.task_identifier} #${job.id} failed (attempt ${job.attempts}/${job.max_attempts}): ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
  const start = () =>
    run({
      pgPool: pool,
      concurrency: options.concurrency ?? 2,
      noHandleSignals: true,
      pollInterval: 1000,
      taskList: tasks,
      crontab: CRONTAB,
      events,
      // A worker that cannot mark its job done or failed (the database went away) stops, and its
      // runner's promise ends: the runner is started again below.
      logger: new Logger(() => (level, message) => {
        if (SEVERE_LOG_LEVELS.has(level)) log(message);
      }),
    });
  let runner: Runner = await start();
  let stopped = false;
  let restarting = false;
  // graphile-worker 0.16 stops a worker that could not mark its job done or failed (the database
  // went away) and carries on with fewer workers, never replacing it: with every worker stopped, no
  // job would run again. So a stopped worker, or a runner that ended, restarts the whole runner.
  const supervise = (current: Runner) =>
    current.promise.then(
      () => restart(current, "stopped"),
      (e: unknown) => restart(current, e instanceof Error ? e.message : String(e)),
    );
  const restart = (current: Runner, why: string) => {
    if (stopped || restarting || current !== runner) return;
    restarting = true;
    log(`job runner stopped (${why}); starting it again in 5 s`);
    // The other workers finish the job in hand (at most 5 s here) before anything is unlocked.
    const ending = Promise.race([current.stop().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref())]);
    // The jobs the stopped workers still hold (one they could not mark failed or done while the database
    // was away) are unlocked first: no sweep would (this instance is alive), and graphile-worker waits 4 h.
    const ended = workerIds.splice(0);
    const again = () =>
      setTimeout(() => {
        if (stopped) return;
        ending
          .then(() => releaseWorkers(ended))
          .then(() => start())
          .then(
            (next) => ((runner = next), (restarting = false), void supervise(next)),
            () => again(),
          );
      }, 5000).unref();
    again();
  };
  events.on("worker:fatalError", ({ error }) =>
    restart(runner, `a worker stopped: ${error instanceof Error ? error.message : String(error)}`),
  );
  // graphile-worker keeps the promise that looks up its task ids for the runner's whole life, a
  // rejected one included: when that lookup failed (the database went away just as a runner
  // started), every later poll throws that same error object and no job ever runs again. A fresh
  // failure is a new error each time; the same one twice means the runner is stuck: start a new one.
  let lastPollError: unknown = null;
  events.on("worker:getJob:error", ({ error }) => {
    if (error === lastPollError)
      restart(runner, `polling keeps failing with one remembered error: ${error instanceof Error ? error.message : String(error)}`);
    lastPollError = error;
  });
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
