import type { RequestHandler } from "express";

// OPTIONS is answered here, before Remix, whose router answers 405 to a method no route takes.
// The public machine addresses that are open to every origin (the JSON API, GS1 Digital Link
// paths and the resolver's description, the open-data catalog and files) answer a CORS
// preflight, so a reuser's page that sends `Accept: application/linkset+json` or a language
// header from another origin is let through; every other address says only what it allows.

const CORS_OPEN = [/^\/api\/v1\//, /^\/01\//, /^\/\.well-known\/gs1resolver$/, /^\/data\.json$/, /^\/du-lieu-mo(\/|$)/];

export const PREFLIGHT_MAX_AGE_SECONDS = 86_400;

export const answerOptions: RequestHandler = (req, res, next) => {
  if (req.method !== "OPTIONS") return next();
  if (CORS_OPEN.some((p) => p.test(req.path))) {
    res.set({
      Allow: "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
      "Access-Control-Max-Age": String(PREFLIGHT_MAX_AGE_SECONDS),
    });
  } else {
    res.set("Allow", "GET, HEAD, POST, OPTIONS");
  }
  res.status(204).end();
};
