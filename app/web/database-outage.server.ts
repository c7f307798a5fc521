import stylesheet from "~/styles/tailwind.css";
import { getLocale } from "~/i18n/locale.server";
import { translator } from "~/i18n/translate";
import type { Locale } from "~/i18n/locale";

// When PostgreSQL cannot be reached (stopped, restarting, failing over, out of
// connections), a request answers 503 with a short page and Retry-After instead of a 500
// or a stack trace; the pools reconnect by themselves once it is back, so no restart is
// needed. What really surfaces was found by stopping the server under queries (Prisma 6.19
// with @prisma/adapter-pg 7.10): Prisma errors P1001 / P2010 (raw queries) carrying the
// adapter's DriverAdapterError kind DatabaseNotReachable, ConnectionClosed, or a PostgreSQL
// 57P01 "terminating connection due to administrator command" / 57P03 "the database system
// is starting up"; pg's own "Client has encountered a connection error and is not
// queryable" from a transaction whose connection died; and the raw pg errors
// (ECONNREFUSED, …) of the pools outside Prisma (rate limits).

/** Seconds a client is asked to wait (a database restart or failover takes about that long). */
export const OUTAGE_RETRY_AFTER_SECONDS = 30;

const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "EAI_AGAIN"]);
// SQLSTATE classes: 08 connection exception, 57P operator intervention (shutdown, starting up), 53 insufficient resources.
const SQLSTATE = /^(08|57P|53)/;
const MESSAGES =
  /Can't reach database server|Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Timed out fetching a new connection|Unable to start a transaction in the given time|the database system is (starting up|shutting down)|terminating connection due to administrator command|Server has closed the connection/i;

type ErrorLike = {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown; originalCode?: unknown } } };
};

/** True when the error says the database is out of reach (not a bug, not bad input). */
export function isDatabaseOutage(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as ErrorLike;
  const code = typeof e.code === "string" ? e.code : "";
  if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code)) return true;
  const adapter = e.meta?.driverAdapterError?.cause;
  if (adapter) {
    if (typeof adapter.kind === "string" && ADAPTER_KINDS.has(adapter.kind)) return true;
    const sqlstate = typeof adapter.originalCode === "string" ? adapter.originalCode : typeof adapter.code === "string" ? adapter.code : "";
    if (SQLSTATE.test(sqlstate)) return true;
  }
  if (typeof e.message === "string" && MESSAGES.test(e.message)) return true;
  // Errors that wrap another one (AggregateError of a pool, a rejected group of scans).
  if (
    Array.isArray((error as { errors?: unknown }).errors) &&
    (error as { errors: unknown[] }).errors.some((x) => isDatabaseOutage(x, depth + 1))
  )
    return true;
  return isDatabaseOutage(e.cause, depth + 1);
}

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page itself: plain HTML that needs nothing from the database (no header with the user's name or cart). */
export function outageHtml(locale: Locale = "vi"): string {
  const t = translator(locale);
  return `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(t("error.page503.title"))} · ocop-trace</title><link rel="stylesheet" href="${stylesheet}"></head><body><main class="mx-auto max-w-xl px-4 py-6"><div class="rounded-md border border-amber-300 bg-amber-50 p-4" role="alert"><h1 class="mb-2 text-xl font-bold text-amber-900">${escapeHtml(t("error.page503.title"))}</h1><p>${escapeHtml(t("error.page503.body"))}</p></div><p class="mt-4"><a href="/">${escapeHtml(t("error.backHome"))}</a></p></main></body></html>`;
}

/** The 503 answer: the page in the visitor's language (read from the request only), Retry-After, never cached. */
export async function outageResponse(request?: Request): Promise<Response> {
  const locale = request ? await getLocale(request).catch((): Locale => "vi") : "vi";
  return new Response(outageHtml(locale), {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": String(OUTAGE_RETRY_AFTER_SECONDS), "Cache-Control": "no-store" },
  });
}

let lastLogged = 0;
/** One line per few seconds, not a stack trace per request, while the database is away. */
export function logOutage(error: unknown) {
  if (Date.now() - lastLogged < 5000) return;
  lastLogged = Date.now();
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[db] database unreachable, answering 503: ${message.replace(/\s+/g, " ").slice(-200)}`);
}

type RouteModule = { loader?: (args: never) => unknown; action?: (args: never) => unknown };
type ServerBuild = { routes: Record<string, { module: RouteModule }> };

/** A loader or action that throws the 503 page (a Response) for a database outage. */
export function guardedAgainstOutage<F extends ((args: never) => unknown) | undefined>(fn: F): F {
  if (typeof fn !== "function") return fn;
  const guarded = async (args: never) => {
    try {
      return await fn(args);
    } catch (error) {
      if (!isDatabaseOutage(error)) throw error;
      logOutage(error);
      // A thrown Response: a resource route answers it as is, a page renders its error
      // boundary with this status (root.tsx), a client-side fetch gets it too.
      throw await outageResponse((args as { request?: Request }).request);
    }
  };
  return guarded as F;
}

/**
 * The server build with every route's loader and action answering 503 for a database
 * outage (server/index.ts serves this one). One place for every kind of request:
 * documents, data requests, resource routes, the list cache's renders.
 */
export function withOutageAnswers<B extends ServerBuild>(build: B): B {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const module = { ...route.module };
      if (module.loader) module.loader = guardedAgainstOutage(module.loader);
      if (module.action) module.action = guardedAgainstOutage(module.action);
      return [id, { ...route, module }];
    }),
  );
  return { ...build, routes };
}
