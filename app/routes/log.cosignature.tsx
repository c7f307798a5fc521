import type { ActionFunctionArgs } from "@remix-run/node";
import { cosignatureResponse } from "~/web/log-public.server";
import { clientIp } from "~/web/client-address.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { tooManyRequests } from "~/web/too-many-requests.server";
import type { RouteHandle } from "~/lib/body-limits";

// A cosigned checkpoint is a few hundred bytes (origin, size, root, a few signature lines).
export const handle = { body: { bytes: 8 * 1024, types: ["text/plain", "application/octet-stream", ""] } } satisfies RouteHandle;

// POST /log/cosignature: a witness the operator listed in LOG_WITNESS_KEYS sends its cosigned
// checkpoint. Anonymous (a witness has no account; its key is its identity), so rate limited.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("POST a cosigned checkpoint\n", { status: 405, headers: { Allow: "POST" } });
  const limit = await takeToken("logCosignature", clientIp(request));
  if (!limit.ok) return tooManyRequests(limit.retryAfterSeconds);
  return cosignatureResponse(await request.text());
}

export const loader = () => new Response("POST a cosigned checkpoint\n", { status: 405, headers: { Allow: "POST" } });
