import { databaseReady } from "~/web/readiness.server";

// Readiness: 200 when this instance reaches its database, 503 when it cannot (web/readiness.server.ts).
// A resource route: no layout, no session, nothing else from the database.
export async function loader() {
  const ok = await databaseReady();
  return new Response(ok ? "ok\n" : "database unreachable\n", {
    status: ok ? 200 : 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...(ok ? {} : { "Retry-After": "5" }) },
  });
}
