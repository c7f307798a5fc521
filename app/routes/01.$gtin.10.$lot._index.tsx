import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { recordVisit } from "~/web/trace-visit.server";
import { resolveGs1 } from "~/domain/trace/gs1.server";
import { traceDocument, traceNotFound } from "~/web/trace-document.server";

// GS1 Digital Link: /01/{gtin14}/10/{lot} — the batch's own trace page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const result = await resolveGs1(params.gtin ?? "", params.lot ?? null, null);
  if (!result) return traceNotFound(request);
  if ("redirectTo" in result) throw redirect(result.redirectTo, 303);
  return traceDocument(request, await recordVisit(request, result.view));
}
