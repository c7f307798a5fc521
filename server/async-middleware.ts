import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from "express";

// Express 4 ignores what a handler returns: a rejected promise would be lost. Our async handlers
// catch their own errors and pass them on; this makes any that escape reach `next` too.

/** An async middleware as Express 4 expects it. */
export function asMiddleware(handle: (req: Request, res: Response, next: NextFunction) => Promise<void>): RequestHandler {
  return (req, res, next) => void handle(req, res, next).catch(next);
}

/** An async error handler as Express 4 expects it. */
export function asErrorHandler(
  handle: (error: unknown, req: Request, res: Response, next: NextFunction) => Promise<void>,
): ErrorRequestHandler {
  return (error, req, res, next) => void handle(error, req, res, next).catch(next);
}
