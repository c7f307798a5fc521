import { z } from "zod";

// Every setting the app reads, in one place, checked by zod. server/index.ts calls
// checkEnvironment() before serving, so a wrong value stops the start with a message that
// names it instead of failing later on some request. Modules read a value with setting(name);
// an empty string counts as unset (Playwright and shells pass "" for "not set"), except for
// SESSION_SECRET, where an empty value is a mistake to report.

const blankIsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, `must be a whole number between ${min} and ${max}`)
          .max(max, `must be a whole number between ${min} and ${max}`),
      )
      .default(String(fallback)),
  );

const httpUrl = z
  .string()
  .url("must be a URL such as https://example.vn")
  .refine((v) => /^https?:\/\//.test(v), "must start with http:// or https://");

const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(blankIsUnset, schema.optional());

/** Signs with the first secret, accepts all of them: "new,old" rotates without logging anyone out. */
export const sessionSecretsSchema = z
  .string({ required_error: "is not set (npm start generates one into the data folder; set it in production)" })
  .transform((v) => v.split(",").map((s) => s.trim()))
  .refine((list) => list.every((s) => s.length > 0), "must not be empty, nor have an empty entry between commas");

export const environmentSchema = z.object({
  NODE_ENV: z.preprocess(blankIsUnset, z.enum(["production", "development", "test"]).default("production")),
  DATABASE_URL: z.preprocess(
    blankIsUnset,
    z
      .string({ required_error: "is not set (npm start starts the embedded PostgreSQL and sets it)" })
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql://user:pass@host:5432/db URL"),
  ),
  DATABASE_POOL_MAX: integer(1, 1000, 10),
  // How long a query waits for a pooled connection (or a new one to open) before it fails,
  // and the page answers 503 (lib/pg-pools.server.ts).
  DATABASE_POOL_WAIT_MS: integer(100, 120_000, 10_000),
  SESSION_SECRET: sessionSecretsSchema,
  PORT: integer(1, 65535, 3000),
  APP_URL: optional(httpUrl),
  TRUST_PROXY: optional(z.string()),
  INSTANCE_ID: optional(z.string().max(100)),
  DATA_DIR: optional(z.string()),
  JOBS: optional(z.enum(["on", "off"], { errorMap: () => ({ message: 'must be "on" or "off"' }) })),
  JOB_CONCURRENCY: integer(1, 64, 2),
  // "1" lets a push subscription name http://127.0.0.1 (the journeys' local push service); never in production.
  PUSH_ALLOW_INSECURE_ENDPOINTS: optional(z.enum(["0", "1"])),
  LIST_CACHE_MS: integer(0, 3_600_000, 3000),
  RATE_LIMIT_SCALE: z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ invalid_type_error: "must be a positive number" })
      .positive("must be a positive number")
      .max(10_000, "must be at most 10000")
      .default(1),
  ),
  SIGNING_KEY_SECRET: optional(z.string()),
  // The public log's name in its checkpoints (C2SP origin); default: APP_URL's host + "/log".
  LOG_ORIGIN: optional(z.string().regex(/^[^\s+]+$/, "must be a name without spaces or +, such as truyxuat.example.vn/log")),
  // Witnesses whose cosignatures the log accepts: comma-separated verifier keys (name+id+base64).
  LOG_WITNESS_KEYS: optional(z.string()),
  // How often each instance looks for pending leaves to sequence (one sequencer at a time).
  LOG_SEQUENCE_MS: integer(50, 60_000, 1000),
  STRIPE_SECRET_KEY: optional(z.string().regex(/^(sk|rk)_(test|live)_/, "must start with sk_test_ or sk_live_")),
  STRIPE_WEBHOOK_SECRET: optional(z.string().regex(/^whsec_/, "must start with whsec_")),
  STRIPE_API_BASE: optional(httpUrl),
  // Stripe refunds: tries before one is listed for admins, and the first wait between tries (×4 each time).
  REFUND_MAX_ATTEMPTS: integer(1, 100, 5),
  REFUND_RETRY_BASE_MS: integer(0, 86_400_000, 60_000),
  // Unpaid orders: how long one holds its stock, and how much one client may hold unpaid.
  VIETQR_ORDER_EXPIRY_HOURS: z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ invalid_type_error: "must be a number of hours" })
      .positive("must be a positive number of hours")
      .max(720, "must be at most 720 (30 days)")
      .default(24),
  ),
  // Stripe lets a Checkout Session live 30 minutes to 24 hours (a minute of margin here); a card order expires with its session.
  STRIPE_ORDER_EXPIRY_MINUTES: integer(31, 1440, 60),
  UNPAID_LIMIT_VND: integer(0, 10_000_000_000, 5_000_000),
  // Cash on delivery: how long an order holds its stock before its producer confirms it.
  COD_CONFIRM_MINUTES: integer(5, 2880, 240),
  SMTP_URL: optional(z.string().regex(/^smtps?:\/\/[^/\s]+/, "must be an smtp://user:pass@host:587 or smtps://… URL")),
  SMTP_FROM: z.preprocess(blankIsUnset, z.string().default("ocop-trace <no-reply@ocop-trace.vn>")),
  // Who publishes the open data (data.json, DCAT-AP, /du-lieu-mo): the province's office that runs
  // the platform, and an address for questions about the data.
  OPEN_DATA_PUBLISHER: z.preprocess(blankIsUnset, z.string().max(200).default("ocop-trace")),
  OPEN_DATA_CONTACT_EMAIL: z.preprocess(blankIsUnset, z.string().email("must be an e-mail address").default("du-lieu-mo@ocop-trace.vn")),
  SMS_WEBHOOK_URL: optional(httpUrl),
  SMS_WEBHOOK_TOKEN: optional(z.string()),
  // /scan photo decoding: worker threads, photos that may wait for one, time limit per photo.
  SCAN_DECODE_THREADS: integer(1, 64, 1),
  SCAN_DECODE_QUEUE: optional(z.string().regex(/^\d+$/, "must be a whole number").transform(Number)),
  SCAN_DECODE_TIMEOUT_MS: integer(100, 60_000, 3000),
});

export type Environment = z.output<typeof environmentSchema>;
export type SettingName = keyof Environment;

/** "PORT: must be a whole number between 1 and 65535", one line per bad setting. */
export function environmentProblems(source: Record<string, string | undefined> = process.env): string[] {
  const result = environmentSchema.safeParse(source);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`);
}

/**
 * Called once when a server starts: false (after printing what is wrong) when a setting is
 * invalid, so server/index.ts exits before listening.
 */
export function checkEnvironment(source: Record<string, string | undefined> = process.env): boolean {
  const problems = environmentProblems(source);
  for (const problem of problems) console.error(`[ocop-trace] invalid setting ${problem}`);
  return problems.length === 0;
}

// One parse per distinct raw value (tests change process.env between cases).
const cache = new Map<SettingName, { raw: string | undefined; value: unknown }>();

/** One validated setting; throws "NAME: what is wrong" when it is invalid. */
export function setting<K extends SettingName>(name: K): Environment[K] {
  const raw = process.env[name];
  const hit = cache.get(name);
  if (hit && hit.raw === raw) return hit.value as Environment[K];
  const parsed = environmentSchema.shape[name].safeParse(raw);
  if (!parsed.success) throw new Error(`${name}: ${parsed.error.issues[0]?.message ?? "is invalid"}`);
  cache.set(name, { raw, value: parsed.data });
  return parsed.data as Environment[K];
}

/** The session secrets, newest first (cookie signing keys). */
export function sessionSecrets(): string[] {
  return setting("SESSION_SECRET");
}
