import { isIPv4, isIPv6 } from "node:net";

/**
 * The client's key for rate limits and for counting distinct clients: the socket's peer, or
 * what the proxies named by TRUST_PROXY say. server/index.ts works it out and always overwrites
 * this header, so a client can never choose it; a bare X-Forwarded-For is never read here.
 * IPv6 addresses are grouped by their /64 (see clientKeyOf).
 */
export function clientIp(request: Request): string {
  return clientKeyOf(request.headers.get("x-ocop-client-ip") ?? "");
}

/**
 * An address as a per-client key. IPv4 stays whole. IPv6 is cut to its /64: a home line or a
 * phone gets a whole /64 and may pick any address in it (privacy addresses rotate daily or per
 * connection), so one client must not count as 2^64. An IPv4-mapped IPv6 address is its IPv4.
 * Anything unreadable is the one key "unknown".
 */
export function clientKeyOf(address: string): string {
  const bare = address.trim().replace(/%.*$/, "");
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return "unknown";
  const groups = ipv6Groups(bare);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 counts as two). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  let text = address;
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}
