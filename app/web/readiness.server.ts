import { prisma } from "~/db.server";

// Readiness (GET /readyz): can this instance serve pages, that is reach its database through
// the same pool its pages use? /healthz stays the liveness check (the process answers at all).
// The cluster script (scripts/cluster.mjs) waits on /readyz before it sends traffic to an
// instance, and a load balancer with active checks should ask it (/healthz once said 200
// while every page waited forever on a wedged pool).
//
// Cheap and not amplifiable: one `SELECT 1` at most every CHECK_EVERY_MS whatever the number of
// callers (concurrent callers share the one in flight, later ones get its cached answer), and an
// answer within ANSWER_WITHIN_MS even when the pool is stuck (the query itself then ends at the
// pool's wait timeout, and no second one starts before the first has ended).

const CHECK_EVERY_MS = 1000;
const ANSWER_WITHIN_MS = 2000;

let last: { at: number; ok: boolean } = { at: 0, ok: false };
let inFlight: Promise<boolean> | null = null;
let answer: Promise<boolean> | null = null;

function check(): Promise<boolean> {
  if (!inFlight) {
    inFlight = prisma.$queryRaw`SELECT 1`
      .then(
        () => true,
        () => false,
      )
      .then((ok) => {
        last = { at: Date.now(), ok };
        inFlight = null;
        return ok;
      });
  }
  return inFlight;
}

/** Whether the database answered a `SELECT 1` (at most CHECK_EVERY_MS old). */
export async function databaseReady(): Promise<boolean> {
  if (Date.now() - last.at < CHECK_EVERY_MS) return last.ok;
  if (!answer) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ANSWER_WITHIN_MS)));
    answer = Promise.race([check(), late]).then((ok) => {
      clearTimeout(timer);
      // A stuck query counts as "not ready" for the next second too, without starting another.
      if (!ok && inFlight) last = { at: Date.now(), ok: false };
      answer = null;
      return ok;
    });
  }
  return answer;
}
