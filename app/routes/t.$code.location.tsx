import { data, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { attachScanLocation } from "~/domain/trace/signals.server";
import { clientIp } from "~/web/client-address.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { tooManyRequests } from "~/web/too-many-requests.server";

// The trace page's optional "share my approximate position" button posts here.
const locationSchema = z.object({
  scanId: z.string().min(1).max(40),
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
});

// Each call may run the distance rule (a query over the code's recent scans): LIMITS.location per client.
export async function action({ request }: ActionFunctionArgs) {
  const limit = await takeToken("location", clientIp(request));
  if (!limit.ok) return tooManyRequests(limit.retryAfterSeconds);
  const parsed = locationSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false }, { status: 400 });
  const ok = await attachScanLocation(parsed.data.scanId, parsed.data.lat, parsed.data.lng);
  return data({ ok }, { status: ok ? 200 : 409 });
}
