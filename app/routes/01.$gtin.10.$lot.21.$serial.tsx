import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/domain/identity/auth.server";
import { recordVisit, resolveGs1 } from "~/domain/trace/trace-page.server";

// GS1 Digital Link: /01/{gtin14}/10/{lot}/21/{serial} — one unit; an unknown serial falls back to its lot.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const result = await resolveGs1(params.gtin ?? "", params.lot ?? null, params.serial ?? null);
  if (!result) throw notFound();
  if ("redirectTo" in result) throw redirect(result.redirectTo, 303);
  return recordVisit(request, result.view);
}

export { default, ErrorBoundary, meta, handle } from "./t.$code._index";
