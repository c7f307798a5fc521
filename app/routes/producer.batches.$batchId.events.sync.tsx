import type { ActionFunctionArgs } from "@remix-run/node";
import { syncEvent } from "~/web/event-sync.server";
import type { RouteHandle } from "~/lib/body-limits";

export const handle = { body: "upload" } satisfies RouteHandle;

// An event recorded offline, sent by the phone's queue (ADR 012). JSON in and out;
// the rules are the online form's (web/event-sync.server.ts).
export async function action({ request, params }: ActionFunctionArgs) {
  return syncEvent(request, params.batchId ?? "");
}
