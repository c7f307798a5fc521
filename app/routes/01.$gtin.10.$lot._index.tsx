import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { recordVisit, resolveGs1 } from "~/domain/trace/trace-page.server";
import { traceDocument, traceNotFound } from "~/web/trace-document.server";

// GS1 Digital Link: /01/{gtin14}/10/{lot} — the batch's own trace page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const result = await resolveGs1(params.gtin ?? "", params.lot ?? null, null);
  if (!result) return traceNotFound(request);
  if ("redirectTo" in result) throw redirect(result.redirectTo, 303);
  return traceDocument(request, await recordVisit(request, result.view));
}
