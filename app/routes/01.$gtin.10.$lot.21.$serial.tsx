import type { LoaderFunctionArgs } from "@remix-run/node";
import { gs1UnitPath, resolveGs1 } from "~/domain/trace/gs1.server";
import { recordVisit } from "~/web/trace-visit.server";
import { traceDocument, traceNotFound } from "~/web/trace-document.server";
import { gs1ResolverAnswer, linksetLinkHeader } from "~/web/gs1-resolver.server";

// GS1 Digital Link: /01/{gtin14}/10/{lot}/21/{serial} — one unit. Any unknown part is the
// 404 of an unknown code (no fallback to the lot: guessing serials must tell nothing), and
// the page's links stay under this path, so it never shows the unit's /t/ code.
// A request with ?linkType= or for a linkset is the GS1 resolver's (gs1-resolver.server.ts).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const resolver = await gs1ResolverAnswer(request, params.gtin ?? "", params.lot ?? "", params.serial ?? "");
  if (resolver) return resolver;
  const result = await resolveGs1(params.gtin ?? "", params.lot ?? "", params.serial ?? "");
  if (!result || !("view" in result)) return traceNotFound(request);
  const path = gs1UnitPath(params.gtin ?? "", params.lot ?? "", params.serial ?? "");
  const page = await traceDocument(request, await recordVisit(request, result.view), path);
  page.headers.set("Link", linksetLinkHeader(path));
  return page;
}
