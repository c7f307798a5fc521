// TRUST_PROXY, read once for server/index.ts (and its test).
/**
 * Which proxies may tell us the client's address (X-Forwarded-For). Unset: none; the
 * socket's peer is the client. Otherwise Express's `trust proxy` forms: a number of hops,
 * or addresses/subnets/`loopback` (e.g. TRUST_PROXY=loopback behind a local nginx).
 */
export function trustProxySetting(value: string | undefined): false | number | string[] {
  if (!value || value === "false") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
