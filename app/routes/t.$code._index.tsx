import type { LoaderFunctionArgs } from "@remix-run/node";
import { findTraceView } from "~/domain/trace/trace-page.server";
import { recordVisit } from "~/web/trace-visit.server";
import { traceDocument, traceFailure, traceNotFound } from "~/web/trace-document.server";

// The public trace page: what a shopper sees after scanning a QR. It answers a whole
// HTML document with no JavaScript bundle (see web/trace-document.server.tsx), so it
// stays small on 3G and cheap at national scale.
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const found = await findTraceView(params.code ?? "");
    if (!found) return await traceNotFound(request);
    return await traceDocument(request, await recordVisit(request, found));
  } catch (error) {
    return traceFailure(request, error);
  }
}
