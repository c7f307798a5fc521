// The server's edge for request bodies and addresses: every body gets its limit before it is
// read (the rule is app/lib/body-limits.ts, per route), a body over it gets 413 without being
// buffered, and an address no route could answer (bad percent-encoding, a NUL byte that
// PostgreSQL would refuse) gets 400 here instead of a 500 deep inside.
import { Transform, type Readable } from "node:stream";
import type { NextFunction, Request, Response as ExpressResponse } from "express";
import type { BodyDecider } from "../app/server-contract";

declare module "express-serve-static-core" {
  interface Request {
    /** The body the edge read within its limit (a Buffer), or the counting stream an upload flows through. */
    limitedBody?: Buffer | Readable;
  }
}

type CountFields = (body: Buffer, kind: "urlencoded" | "multipart", contentType: string) => number;

const PAGE_STYLE = "font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5";
const MESSAGES: Record<400 | 405 | 413 | 415 | "fields", [vi: string, en: string]> = {
  400: ["Địa chỉ hoặc dữ liệu gửi lên không hợp lệ.", "The address or the data sent is not valid."],
  405: ["Trang này không nhận cách gửi này.", "This page does not accept this kind of request."],
  413: ["Dữ liệu gửi lên quá lớn.", "The data sent is too large."],
  415: ["Trang này chỉ nhận dữ liệu từ biểu mẫu.", "This page only accepts form data."],
  fields: ["Biểu mẫu có quá nhiều trường.", "The form has too many fields."],
};

/** A short answer in both languages: HTML for a browser, JSON for an API client, text otherwise. */
function refuse(
  req: Request,
  res: ExpressResponse,
  status: 400 | 405 | 413 | 415,
  key: keyof typeof MESSAGES = status,
  extraHeaders: Record<string, string> = {},
): void {
  const [vi, en] = MESSAGES[key];
  res.setHeader("Cache-Control", "no-store");
  for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  res.status(status);
  const accept = req.headers.accept ?? "";
  if (req.path.startsWith("/api/") || req.path.startsWith("/log/") || accept.startsWith("application/json"))
    res.json({ error: en, message: vi, status });
  else if (accept.includes("text/html"))
    res
      .type("text/html; charset=utf-8")
      .send(
        `<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${vi}</title><body style="${PAGE_STYLE}"><h1>${vi}</h1><p lang="en">${en}</p><p><a href="/">Về trang chủ / Home</a></p></body></html>`,
      );
  else res.type("text/plain; charset=utf-8").send(`${vi} / ${en}\n`);
  res.once("finish", () => lingerThenClose(req));
}

// Like nginx's lingering close: a client still sending when the refusal goes out would see the
// connection reset before it reads the answer (closing with "Connection: close" did that), so what
// arrives next is read and dropped (never kept) for a moment, up to LINGER_BYTES; a body that ends
// within that leaves the connection usable, one that does not has it closed.
const LINGER_MS = 2000;
const LINGER_BYTES = 32 * 1024 * 1024; // dropped as it arrives: a few hundred callbacks, nothing kept
export function lingerThenClose(req: Request): void {
  if (req.complete) return;
  req.unpipe(); // an upload's counting stream no longer wants it
  let dropped = 0;
  const close = () => req.socket.destroy();
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) close();
  });
  req.once("end", () => clearTimeout(timer));
  req.resume();
}

/** 400 for an address with bad percent-encoding or a NUL byte anywhere (path or query). */
export function refuseBadAddresses(req: Request, res: ExpressResponse, next: NextFunction): void {
  const url = req.originalUrl;
  if (/%00/i.test(url) || url.includes("\0")) return refuse(req, res, 400);
  try {
    decodeURIComponent(req.path);
  } catch {
    return refuse(req, res, 400);
  }
  next();
}

/** The request's declared length: a number, null when it streams (chunked), 0 when it has no body. */
function declaredLength(req: Request): number | null {
  const header = req.headers["content-length"];
  if (header !== undefined) return /^\d{1,15}$/.test(header) ? Number(header) : NaN;
  return req.headers["transfer-encoding"] !== undefined ? null : 0;
}

/**
 * The body limit for every request. Small bodies are read here (up to their limit) and handed on as
 * `req.limitedBody` (a Buffer); upload bodies stream on as `req.limitedBody` (a counting stream)
 * and are cut at their limit with 413.
 */
export function bodyLimits(decide: BodyDecider, countFields: CountFields) {
  return function limitBody(req: Request, res: ExpressResponse, next: NextFunction): void {
    const length = declaredLength(req);
    if (Number.isNaN(length)) return refuse(req, res, 400);
    const type = req.headers["content-type"];
    const decision = decide(req.method, req.path, type, length);
    if (!decision.ok)
      return refuse(req, res, decision.status, decision.status, decision.status === 405 ? { Allow: "GET, HEAD, POST" } : {});
    // The client waits for a go-ahead before sending its body (index.ts checkContinue): give it now.
    if (req.headers.expect?.toLowerCase() === "100-continue" && decision.kind !== "empty") res.writeContinue();
    if (decision.kind === "empty") {
      req.limitedBody = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.alloc(0);
      return next();
    }
    const kind = decision.kind; // urlencoded, multipart or other from here
    if (decision.stream) {
      let seen = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen += chunk.length;
          if (seen > decision.bytes) {
            if (!res.headersSent) refuse(req, res, 413);
            return done(new Error("request body over its limit"));
          }
          done(null, chunk);
        },
      });
      req.on("error", (e) => counted.destroy(e));
      req.limitedBody = req.pipe(counted);
      return next();
    }
    const chunks: Buffer[] = [];
    let seen = 0;
    let over = false;
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > decision.bytes) {
        over = true;
        req.off("data", onData);
        req.pause();
        return refuse(req, res, 413);
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("error", () => {}); // a client that hangs up mid-body: nothing to answer
    req.once("end", () => {
      if (over) return;
      const body = Buffer.concat(chunks, seen);
      if (kind !== "other" && countFields(body, kind, type ?? "") > decision.fields) return refuse(req, res, 413, "fields");
      // PostgreSQL refuses a NUL in text: a form field carrying one is refused here, not by a 500.
      if (kind === "urlencoded" && /%00/i.test(body.toString("latin1"))) return refuse(req, res, 400);
      if (kind !== "multipart") {
        req.limitedBody = body;
        return next();
      }
      // A cut-short or boundary-less multipart body would make the route's formData() throw (a 500):
      // a small one is parsed once here and refused as the client's fault.
      new Response(body, { headers: { "Content-Type": type ?? "" } }).formData().then(
        () => {
          req.limitedBody = body;
          next();
        },
        () => refuse(req, res, 400),
      );
    });
  };
}
