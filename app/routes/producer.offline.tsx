import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireProducerMember } from "~/web/auth.server";
import { APP_SCOPE, safeReturnPath } from "~/pwa/scope";

// /producer/offline?to=… is where the producer app's worker sends a tap on a page outside the app
// (the shop, the scan page) when there is no signal: the worker answers it with the offline page.
// Reached with signal (the offline page reloaded, a bookmark), it goes on to the page asked for —
// a same-site path only, never another host (docs/decisions/019-offline-pages.md).
const query = z.object({ to: z.string().max(2000).optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireProducerMember(request);
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  throw redirect((parsed.success ? safeReturnPath(parsed.data.to) : null) ?? APP_SCOPE);
}
