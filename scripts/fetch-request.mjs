// Fetch API requests and responses for the paths that call
// the app without the Remix Express adapter (scripts/server.mjs, scripts/list-cache.mjs).
// The client address is the one the server worked out, never a client's own header.
export function fetchRequestOf(req) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  headers.set("x-ocop-client-ip", req.headers["x-ocop-client-ip"]);
  return new Request(`${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`, { method: req.method, headers });
}

/** A Fetch API Response read whole: what `writePage` sends (and the list cache keeps). */
export async function bufferResponse(response) {
  return { status: response.status, headers: [...response.headers], body: Buffer.from(await response.arrayBuffer()) };
}

export function writePage(res, page) {
  res.status(page.status);
  for (const [name, value] of page.headers) res.append(name, value);
  res.end(page.body);
}
