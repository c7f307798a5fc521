/**
 * The client's address for rate limits: the socket's peer, or what the proxies named by
 * TRUST_PROXY say. server/index.ts works it out and always overwrites this header, so
 * a client can never choose it; a bare X-Forwarded-For is never read here.
 */
export function clientIp(request: Request): string {
  return request.headers.get("x-ocop-client-ip") || "unknown";
}
