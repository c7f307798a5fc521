import pg from "pg";
import type { PrismaPg } from "@prisma/adapter-pg";
import { APPLICATION_NAME } from "~/lib/instance.server";
import { setting } from "~/lib/env.server";

// The app's connections to PostgreSQL, made so a database outage can neither kill nor wedge
// the process. Found by stopping PostgreSQL under checkouts and by
// pg_terminate_backend on each pool (test/cluster/database-faults.test.ts):
//
// - A `pg` client whose connection dies emits 'error'; with no listener that ends the process
//   ("57P01 terminating connection due to administrator command"). pg-pool listens only while
//   a client is idle in the pool, so every pool here gives each client a listener of its own
//   for its whole life (watchPool), checked out, idle or already removed alike.
// - Waiting for a connection is bounded (DATABASE_POOL_WAIT_MS, default 10 s): past it the
//   query fails with pg-pool's "timeout exceeded when trying to connect", which
//   database-outage.server.ts answers with 503 instead of a request waiting forever.
// - Each pool carries its own application_name (`<instance>:db`, `:limits`, `:jobs`) beside
//   the presence connection's bare `<instance>` (jobs/worker.server.ts), so an operator (and
//   the fault test) can tell them apart in pg_stat_activity.

export type PoolRole = "db" | "limits" | "jobs";

/** The application_name of one of this instance's pools (PostgreSQL keeps 63 bytes; ours stay under 60). */
export function poolApplicationName(role: PoolRole): string {
  return `${APPLICATION_NAME}:${role}`;
}

const lastLogged = new Map<string, number>();
function logLost(role: string, error: Error) {
  // One line per pool every few seconds: a restart kills every connection at once.
  if (Date.now() - (lastLogged.get(role) ?? 0) < 5000) return;
  lastLogged.set(role, Date.now());
  console.error(`[db] ${role} connection lost: ${error.message}`);
}

/** An 'error' listener on the pool (idle clients) and on every client it ever opens (checked out or removed). */
export function watchPool(pool: pg.Pool, role: string): pg.Pool {
  pool.on("error", (e) => logLost(role, e));
  pool.on("connect", (client) => client.on("error", (e) => logLost(role, e)));
  return pool;
}

/** A pool of this instance: its role's application_name, a bounded wait for a connection, error listeners. */
export function appPool(role: PoolRole, config: pg.PoolConfig): pg.Pool {
  return watchPool(
    new pg.Pool({ connectionTimeoutMillis: setting("DATABASE_POOL_WAIT_MS"), ...config, application_name: poolApplicationName(role) }),
    role,
  );
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Tx = Awaited<ReturnType<Adapter["startTransaction"]>>;
/** What @prisma/adapter-pg 7.10's PgTransaction holds (dist/index.mjs): its pooled client and the listener cleanup. */
type PgTx = Tx & { client: pg.PoolClient & { _queryable?: boolean; _ending?: boolean }; cleanup?: () => void };

/**
 * Prisma (6.19, client engine) ends a transaction by sending COMMIT or ROLLBACK through the
 * adapter and only then calling its commit()/rollback(), which is what releases the pooled
 * client. When that COMMIT/ROLLBACK fails (the connection died with the database), the
 * release never happens: the dead client stays checked out for good, and after a few
 * outages under load the whole pool is such clients and every page waits forever.
 * Here a transaction releases its client exactly once: on commit()/rollback(), or as soon
 * as its COMMIT/ROLLBACK or any query on a dead connection fails, with the error, so
 * pg-pool destroys it instead of reusing it.
 */
function releasingOnFailure(tx: Tx): Tx {
  const t = tx as PgTx;
  const conn = t.client;
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    t.cleanup?.();
    conn.release(error ?? undefined);
  };
  // A throw from release() rejects the returned promise, as it would in an async function.
  t.commit = () => new Promise<void>((resolve) => resolve(release()));
  t.rollback = () => new Promise<void>((resolve) => resolve(release()));
  const guard =
    <R>(run: (query: Parameters<Tx["executeRaw"]>[0]) => Promise<R>) =>
    async (query: Parameters<Tx["executeRaw"]>[0]): Promise<R> => {
      try {
        return await run(query);
      } catch (error) {
        const ending = /^\s*(COMMIT|ROLLBACK)\s*$/i.test(query.sql);
        if (ending || conn._queryable === false || conn._ending) release(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    };
  t.executeRaw = guard(t.executeRaw.bind(t));
  t.queryRaw = guard(t.queryRaw.bind(t));
  return t;
}

/** The PrismaPg factory whose transactions never leave a client checked out (see releasingOnFailure). */
export function withReleasingTransactions(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releasingOnFailure(await start(isolationLevel));
    return adapter;
  };
  return factory;
}
