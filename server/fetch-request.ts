// Fetch API requests and responses for the paths that call the app without the Remix Express
// adapter: the direct pages, the list cache and every other request (server/index.ts), so
// that each request's body is the one the edge read within its limit (server/body-limits.ts).
// The client address is the one the server worked out, never a client's own header.
import { asMiddleware } from "./async-middleware";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import {
  createRequestHandler as createFetchHandler,
  createReadableStreamFromReadable,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import { lingerThenClose } from "./body-limits";
import { DATA_REQUEST_HEADER } from "../app/server-contract";

/** A response read whole: what `writePage` sends (and the list cache keeps). */
export type BufferedPage = { status: number; headers: [string, string][]; body: Buffer };

export function fetchRequestOf(req: ExpressRequest, { signal }: { signal?: AbortSignal } = {}): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  headers.set("x-ocop-client-ip", String(req.headers["x-ocop-client-ip"]));
  // Remix's data request (single fetch), marked by the server only (app/web/document-routes.ts).
  headers.delete(DATA_REQUEST_HEADER);
  if (req.path.endsWith(".data")) headers.set(DATA_REQUEST_HEADER, "1");
  // `duplex` is what Node's fetch needs for a streamed body; TypeScript's RequestInit does not name it yet.
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal };
  const body = req.limitedBody;
  if (req.method !== "GET" && req.method !== "HEAD" && body !== undefined) {
    if (Buffer.isBuffer(body)) {
      init.body = body as Uint8Array<ArrayBuffer>; // a Buffer read from the socket, never over shared memory
      // An empty post with no type (curl -X POST) parses as an empty form, not as an error.
      if (body.length === 0 && !headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded");
    } else {
      init.body = createReadableStreamFromReadable(body);
      init.duplex = "half";
    }
  }
  return new Request(`${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`, init);
}

/** Remix for every request that reaches it, with the body the edge limited. */
export function remixHandler(
  build: ServerBuild,
  mode: string,
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext,
) {
  const handle = createFetchHandler(build, mode);
  return asMiddleware(async function serveRemix(req: ExpressRequest, res: ExpressResponse, next: NextFunction): Promise<void> {
    // Loaders and actions stop once nobody can receive the answer (a client that hung up).
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const response = await handle(fetchRequestOf(req, { signal: controller.signal }), getLoadContext(req, res));
      if (res.headersSent) return; // the edge already answered 413 for an upload cut at its limit
      // An answer given before the body was read (a route refusing an upload part-way): the rest is
      // dropped and the connection closed, as for the edge's own refusals.
      const unread = req.limitedBody !== undefined && !Buffer.isBuffer(req.limitedBody) && !req.complete;
      await sendResponse(res, response);
      if (unread) lingerThenClose(req);
    } catch (error) {
      if (res.headersSent) return;
      next(error);
    }
  });
}

/** A Fetch API Response written to Express as it streams (as @remix-run/express does). */
async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** A Fetch API Response read whole: what `writePage` sends (and the list cache keeps). */
export async function bufferResponse(response: Response): Promise<BufferedPage> {
  return { status: response.status, headers: [...response.headers], body: Buffer.from(await response.arrayBuffer()) };
}

export function writePage(res: ExpressResponse, page: BufferedPage): void {
  res.status(page.status);
  for (const [name, value] of page.headers) res.append(name, value);
  res.end(page.body);
}
