/** The 429 answer for a resource route or a document request over its limit. */
export function tooManyRequests(retryAfterSeconds: number, body = "Too many requests: try again later."): Response {
  return new Response(body, {
    status: 429,
    headers: { "Retry-After": String(retryAfterSeconds), "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
