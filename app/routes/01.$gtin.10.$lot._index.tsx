import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { recordVisit } from "~/web/trace-visit.server";
import { resolveGs1 } from "~/domain/trace/gs1.server";
import { traceDocument, traceNotFound } from "~/web/trace-document.server";
import { gs1ResolverAnswer, linksetLinkHeader } from "~/web/gs1-resolver.server";
import { lotPath } from "~/domain/trace/gs1-resolver.server";

// GS1 Digital Link: /01/{gtin14}/10/{lot} — the batch's own trace page.
// A request with ?linkType= or for a linkset is the GS1 resolver's (gs1-resolver.server.ts).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const resolver = await gs1ResolverAnswer(request, params.gtin ?? "", params.lot ?? "", null);
  if (resolver) return resolver;
  const result = await resolveGs1(params.gtin ?? "", params.lot ?? null, null);
  if (!result) return traceNotFound(request);
  if ("redirectTo" in result) throw redirect(result.redirectTo, 303);
  const page = await traceDocument(request, await recordVisit(request, result.view));
  page.headers.set("Link", linksetLinkHeader(lotPath(params.gtin ?? "", result.view.batch.lotCode)));
  return page;
}
