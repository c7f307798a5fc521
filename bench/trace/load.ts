// Load helpers shared by bench/trace and bench/cluster: autocannon runs reduced to the
// numbers the benches print, and a wait for a server to answer.
import autocannon from "autocannon";

export const CONNECTIONS = 20;
export const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 11; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";

export type Run = {
  rps: number;
  p50: number;
  p99: number;
  /** 2xx responses. */
  ok: number;
  /** Connection errors and timeouts plus non-2xx answers. */
  errors: number;
  /** Average bytes received per 2xx response (headers and compressed body). */
  wireBytes: number;
  seconds: number;
};

/**
 * `seconds` runs for a fixed time (requests still in flight at the end are dropped);
 * `amount` sends exactly that many and waits for every answer (the scan bench counts
 * them against the database). `path` picks each request's path.
 */
export async function load(
  base: string,
  opts: { path?: () => string; clientAddress?: () => string; seconds?: number; amount?: number; connections?: number },
): Promise<Run> {
  const pick = opts.path;
  const result = await autocannon({
    url: base,
    connections: opts.connections ?? CONNECTIONS,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds ?? 10 }),
    // Results are taken on a sample tick: 100 ms keeps the idle tail of a run short.
    sampleInt: 100,
    headers: { "user-agent": PHONE_UA, "accept-encoding": "gzip" },
    requests: pick
      ? [
          {
            method: "GET",
            setupRequest: (req) => ({
              ...req,
              path: pick(),
              // Many shoppers, not one: each scan from an address of its own (the server trusts its loopback proxy).
              ...(opts.clientAddress ? { headers: { ...req.headers, "x-forwarded-for": opts.clientAddress() } } : {}),
            }),
          },
        ]
      : undefined,
  });
  const ok = result["2xx"];
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    errors: result.errors + result.non2xx,
    wireBytes: ok ? result.throughput.total / ok : 0,
    seconds: result.duration,
  };
}

export const describe = (r: Run) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}`;

export const best = (runs: Run[]) => runs.reduce((a, b) => (b.rps > a.rps ? b : a));

export { waitForHealth } from "../../scripts/cluster.mjs";
