import { findTraceView } from "~/domain/trace/trace-page.server";
import { recordVisit } from "~/web/trace-visit.server";
import { traceDocument, traceFailure, traceNotFound } from "~/web/trace-document.server";

/**
 * The public trace page for one code: what a shopper sees after scanning a QR. A whole HTML
 * document with no JavaScript bundle (web/trace-document.server.tsx), so it stays small on 3G
 * and cheap at national scale. Its route and the server's direct path (serverServices) both
 * answer with this.
 */
export async function scanPage(request: Request, code: string): Promise<Response> {
  try {
    const found = await findTraceView(code);
    if (!found) return await traceNotFound(request);
    return await traceDocument(request, await recordVisit(request, found));
  } catch (error) {
    return traceFailure(request, error);
  }
}
