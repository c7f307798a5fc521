// The pages the app answers itself, outside Remix (app/server-contract.ts DirectPage): the
// scan page (/t/{code}) is the URL hit at national scale and its route answers a whole HTML
// document (docs/decisions/008). So it goes straight to the app's answer: same function as
// its route, same answer; every other URL, /t/{code}/report included, goes through Remix.
import { asMiddleware } from "./async-middleware";
import type { NextFunction, Request, Response as ExpressResponse } from "express";
import type { DirectPage } from "../app/server-contract";
import { bufferResponse, fetchRequestOf, writePage } from "./fetch-request";

/** The page and its decoded parameter for this request, or null when Remix answers it. */
export function directPageFor(pages: readonly DirectPage[], method: string, path: string): { page: DirectPage; param: string } | null {
  // `/t/{code}.data` is Remix's data request after an in-app link: Remix answers it (app/web/document-routes.ts).
  if ((method !== "GET" && method !== "HEAD") || path.endsWith(".data")) return null;
  for (const page of pages) {
    const match = page.path.exec(path);
    if (!match) continue;
    try {
      return { page, param: decodeURIComponent(match[1] ?? "") };
    } catch {
      return null; // not a parameter: Remix answers it, as it answers everything else
    }
  }
  return null;
}

export function directPages(pages: readonly DirectPage[]) {
  return asMiddleware(async function serveDirectPage(req: Request, res: ExpressResponse, next: NextFunction): Promise<void> {
    const found = directPageFor(pages, req.method, req.path);
    if (found === null) return next();
    try {
      const response = await found.page.answer(fetchRequestOf(req), found.param).catch((thrown: unknown) => {
        if (thrown instanceof Response) return thrown; // an answer may throw a Response (redirect, 404, the outage page), as Remix allows
        throw thrown;
      });
      if (response === null) return next();
      writePage(res, await bufferResponse(response));
    } catch (error) {
      next(error);
    }
  });
}
