// A local stand-in for stripe-mock (stripe/stripe-mock, a Go binary that cannot be
// installed on these machines). It answers the endpoints the app uses the way
// stripe-mock does: checks the secret key and the parameters, and returns fixture
// objects with the request's inputs copied in; it sends no webhooks.
//   POST /v1/checkout/sessions   GET /v1/checkout/sessions/:id   POST /v1/checkout/sessions/:id/expire
//   POST /v1/refunds
// Unlike stripe-mock it keeps some state, as Stripe does: which sessions were expired (a second
// expire is refused), and refunds: the same Idempotency-Key gets the same refund back, and a
// second refund of a refunded payment intent is refused (charge_already_refunded). It can also
// be told to fail refunds, which stripe-mock cannot:
//   POST /__control/fail-refunds?count=N   (or double.failRefunds(N) in-process)
// makes the next N refund requests answer 500 api_error with Stripe-Should-Retry: false, so
// each failure reaches the app instead of being absorbed by the SDK's own retries.
// Run alone: npx tsx test/stripe-double.ts --port 12111
import http from "node:http";
import crypto from "node:crypto";
import { pathToFileURL } from "node:url";

export type RecordedRequest = { method: string; path: string; params: Record<string, unknown>; idempotencyKey: string | null };

/** Stripe's form encoding (a[b][0][c]=v) back into nested objects and arrays. */
function parseForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const keys = rawKey.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> = root;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) node[k] = value;
      else node = (node[k] ??= {}) as Record<string, unknown>;
    });
  }
  return root;
}

const list = (v: unknown): Record<string, unknown>[] =>
  v && typeof v === "object" ? Object.values(v as Record<string, Record<string, unknown>>) : [];
const id = (prefix: string) => `${prefix}_${crypto.randomBytes(12).toString("hex")}`;

function error(res: http.ServerResponse, status: number, message: string, param?: string) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { type: "invalid_request_error", message, ...(param ? { param } : {}) } }));
}

function checkoutSession(params: Record<string, unknown>) {
  if (!["payment", "setup", "subscription"].includes(String(params.mode))) return { error: "Invalid mode", param: "mode" };
  const items = list(params.line_items);
  if (params.mode === "payment" && items.length === 0) return { error: "line_items is required in payment mode", param: "line_items" };
  let amount = 0;
  let currency: string | null = null;
  for (const [i, item] of items.entries()) {
    const quantity = Number(item.quantity);
    const price = item.price_data as Record<string, unknown> | undefined;
    if (!Number.isInteger(quantity) || quantity < 1) return { error: "Invalid integer", param: `line_items[${i}][quantity]` };
    if (!price || !/^[a-z]{3}$/.test(String(price.currency)))
      return { error: "Missing required param", param: `line_items[${i}][price_data][currency]` };
    const unit = Number(price.unit_amount);
    if (!Number.isInteger(unit) || unit < 0) return { error: "Invalid integer", param: `line_items[${i}][price_data][unit_amount]` };
    if (!(price.product_data as Record<string, unknown> | undefined)?.name)
      return { error: "Missing required param", param: `line_items[${i}][price_data][product_data][name]` };
    amount += unit * quantity;
    currency = String(price.currency);
  }
  if (params.expires_at !== undefined) {
    // Stripe: between 30 minutes and 24 hours after the session is created.
    const ahead = Number(params.expires_at) - Math.floor(Date.now() / 1000);
    if (!Number.isInteger(Number(params.expires_at)) || ahead < 30 * 60 || ahead > 24 * 3600)
      return {
        error: "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
        param: "expires_at",
      };
  }
  const sessionId = id("cs_test");
  return {
    session: {
      id: sessionId,
      object: "checkout.session",
      mode: params.mode,
      status: "open",
      payment_status: "unpaid",
      amount_total: amount,
      amount_subtotal: amount,
      currency,
      metadata: params.metadata ?? {},
      client_reference_id: params.client_reference_id ?? null,
      expires_at: params.expires_at !== undefined ? Number(params.expires_at) : Math.floor(Date.now() / 1000) + 24 * 3600,
      success_url: params.success_url ?? null,
      cancel_url: params.cancel_url ?? null,
      payment_intent: null,
      livemode: false,
      url: `https://checkout.stripe.com/c/pay/${sessionId}`,
    },
  };
}

export async function startStripeDouble(port = 0) {
  const requests: RecordedRequest[] = [];
  const refundsByKey = new Map<string, Record<string, unknown>>();
  const refundedIntents = new Set<string>();
  let failRefunds = 0;
  const expired = new Set<string>();
  // Sessions a test says the buyer paid (the double has no hosted page): they cannot be expired.
  const completed = new Set<string>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (req.method === "POST" && url.pathname === "/__control/fail-refunds") {
        failRefunds = Number(url.searchParams.get("count") ?? 0);
        res.writeHead(204);
        return res.end();
      }
      if (!/^Bearer sk_test_\w+/.test(req.headers.authorization ?? "")) return error(res, 401, "Invalid API Key provided");
      const params = parseForm(req.method === "GET" ? url.search.slice(1) : body);
      requests.push({
        method: req.method ?? "",
        path: url.pathname,
        params,
        idempotencyKey: (req.headers["idempotency-key"] as string | undefined) ?? null,
      });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json", "request-id": id("req") });
        res.end(JSON.stringify(value));
      };
      if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
        const made = checkoutSession(params);
        return "error" in made ? error(res, 400, made.error!, made.param) : json(200, made.session);
      }
      const retrieve = url.pathname.match(/^\/v1\/checkout\/sessions\/(cs_\w+)$/);
      if (req.method === "GET" && retrieve && expired.has(retrieve[1]!)) {
        return json(200, {
          id: retrieve[1],
          object: "checkout.session",
          mode: "payment",
          status: "expired",
          payment_status: "unpaid",
          payment_intent: null,
          metadata: {},
          livemode: false,
        });
      }
      const expire = url.pathname.match(/^\/v1\/checkout\/sessions\/(cs_\w+)\/expire$/);
      if (req.method === "POST" && expire) {
        if (completed.has(expire[1]!))
          return error(
            res,
            400,
            'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "complete".',
          );
        if (expired.has(expire[1]!))
          return error(
            res,
            400,
            'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "expired".',
          );
        expired.add(expire[1]!);
        return json(200, {
          id: expire[1],
          object: "checkout.session",
          mode: "payment",
          status: "expired",
          payment_status: "unpaid",
          payment_intent: null,
          metadata: {},
          livemode: false,
        });
      }
      if (req.method === "GET" && retrieve) {
        return json(200, {
          id: retrieve[1],
          object: "checkout.session",
          mode: "payment",
          status: "complete",
          payment_status: "paid",
          payment_intent: `pi_${retrieve[1]!.slice(-24)}`,
          metadata: {},
          livemode: false,
        });
      }
      if (req.method === "POST" && url.pathname === "/v1/refunds") {
        if (!params.payment_intent && !params.charge)
          return error(res, 400, "One of charge or payment_intent is required", "payment_intent");
        if (failRefunds > 0) {
          failRefunds -= 1;
          res.writeHead(500, { "content-type": "application/json", "stripe-should-retry": "false", "request-id": id("req") });
          return res.end(
            JSON.stringify({ error: { type: "api_error", message: "An unknown error occurred (stripe double: failing on request)" } }),
          );
        }
        const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
        const replay = key ? refundsByKey.get(key) : undefined;
        if (replay) return json(200, replay);
        const target = String(params.payment_intent ?? params.charge);
        if (refundedIntents.has(target)) {
          res.writeHead(400, { "content-type": "application/json" });
          return res.end(
            JSON.stringify({
              error: {
                type: "invalid_request_error",
                code: "charge_already_refunded",
                message: `Charge for ${target} has already been refunded.`,
              },
            }),
          );
        }
        const refund = {
          id: id("re"),
          object: "refund",
          status: "succeeded",
          payment_intent: params.payment_intent ?? null,
          charge: params.charge ?? null,
          amount: params.amount ? Number(params.amount) : 0,
          currency: "vnd",
          metadata: params.metadata ?? {},
        };
        refundedIntents.add(target);
        if (key) refundsByKey.set(key, refund);
        return json(200, refund);
      }
      return error(res, 404, `Unrecognized request URL (${req.method}: ${url.pathname})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    /** The next `count` refund requests answer 500 (as POST /__control/fail-refunds?count=N does). */
    failRefunds: (count: number) => void (failRefunds = count),
    /** Marks a session paid (the double has no hosted page): it can no longer be expired. */
    complete: (sessionId: string) => void completed.add(sessionId),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const i = process.argv.indexOf("--port");
  const double = await startStripeDouble(i > 0 ? Number(process.argv[i + 1]) : 12111);
  console.log(`stripe-mock double listening on ${double.url}`);
}

/**
 * For a Vitest file: the double started before its tests, with the app's Stripe settings
 * (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE) pointing at it, and both undone
 * after them. The returned object reads through to the running double.
 */
export function useStripeDouble(webhookSecret = "whsec_test_ocop") {
  let double: Awaited<ReturnType<typeof startStripeDouble>> | undefined;
  const running = () => {
    if (!double) throw new Error("the Stripe double starts in beforeAll");
    return double;
  };
  beforeAll(async () => {
    double = await startStripeDouble();
    Object.assign(process.env, { STRIPE_SECRET_KEY: "sk_test_ocop", STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_BASE: double.url });
  });
  afterAll(async () => {
    for (const name of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE"]) delete process.env[name];
    await double?.close();
  });
  return {
    get url() {
      return running().url;
    },
    get requests() {
      return running().requests;
    },
    failRefunds: (count: number) => running().failRefunds(count),
    complete: (sessionId: string) => running().complete(sessionId),
  };
}
