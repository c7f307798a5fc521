// A local push service (RFC 8030) for the tests: a real HTTP server, as a browser vendor's
// would be, that checks what a push service checks and what a browser then does with the body:
//  - the VAPID header (RFC 8292): `Authorization: vapid t=<JWT>, k=<public key>`, the JWT signed
//    ES256 by k, `aud` the endpoint's origin, `exp` in the future and at most 24 h away, `sub` set;
//  - `Content-Encoding: aes128gcm` and a TTL;
//  - the body decrypted (RFC 8291) with the subscriber's private key and auth secret, as the
//    browser would, and the JSON payload recorded by endpoint.
// It can be told to answer 404, 410, 429 or 500 for an endpoint (the next N requests, or all).
// Every subscriber is made here (subscriber()): the double holds the private halves.
import http from "node:http";
import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import * as ece from "http_ece";

export type PushSubscriptionJson = { endpoint: string; keys: { p256dh: string; auth: string } };
export type Received = { endpoint: string; payload: Record<string, unknown>; ttl: number; urgency: string | null };

type Subscriber = { ecdh: crypto.ECDH; auth: Buffer };

export type PushServiceDouble = {
  origin: string;
  /** A new browser subscription pointing at this double: what PushSubscription.toJSON() gives. */
  subscriber: () => PushSubscriptionJson;
  /** Payloads received and accepted (2xx), in order. */
  received: Received[];
  /** Requests refused for a bad VAPID header, encoding or body, with why. */
  rejected: { endpoint: string; why: string }[];
  /** Every request that reached an endpoint (accepted, refused or answered with a forced status). */
  requests: () => number;
  /** The next `times` requests to this endpoint get `status` (Infinity: all of them). */
  answer: (endpoint: string, status: 404 | 410 | 429 | 500, times?: number) => void;
  close: () => Promise<void>;
};

const b64u = (b: Buffer) => b.toString("base64url");

/** Checks the VAPID header; returns why it is refused, or null. */
function vapidProblem(header: string | undefined, origin: string): string | null {
  const m = /^vapid\s+t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) return "no vapid Authorization header";
  const [, jwt, k] = m;
  const parts = jwt!.split(".");
  if (parts.length !== 3) return "JWT is not three parts";
  const point = Buffer.from(k!, "base64url");
  if (point.length !== 65 || point[0] !== 4) return "k is not an uncompressed P-256 point";
  const key = crypto.createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) },
    format: "jwk",
  });
  const ok = crypto.verify(
    "sha256",
    Buffer.from(`${parts[0]}.${parts[1]}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(parts[2]!, "base64url"),
  );
  if (!ok) return "JWT signature does not verify against k";
  const head = JSON.parse(Buffer.from(parts[0]!, "base64url").toString()) as { alg?: string };
  if (head.alg !== "ES256") return "JWT alg is not ES256";
  const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString()) as { aud?: string; exp?: number; sub?: string };
  if (claims.aud !== origin) return `aud ${claims.aud} is not ${origin}`;
  const now = Date.now() / 1000;
  if (typeof claims.exp !== "number" || claims.exp <= now || claims.exp > now + 24 * 3600) return "exp not within 24 h";
  if (!claims.sub || !/^(mailto:|https?:)/.test(claims.sub)) return "sub missing";
  return null;
}

export async function startPushServiceDouble(options: { decryptEvery?: number } = {}): Promise<PushServiceDouble> {
  // The scale test decrypts one request in N (and checks every VAPID header): decryption is the costly part.
  const decryptEvery = options.decryptEvery ?? 1;
  const subscribers = new Map<string, Subscriber>();
  const forced = new Map<string, { status: number; times: number }>();
  const received: Received[] = [];
  const rejected: { endpoint: string; why: string }[] = [];
  let requests = 0;
  let origin = "";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests += 1;
      const endpoint = `${origin}${req.url ?? ""}`;
      const answer = (status: number, why?: string) => {
        if (why) rejected.push({ endpoint, why });
        res.writeHead(status, { "content-type": "text/plain" }).end(why ?? "");
      };
      const sub = subscribers.get(req.url ?? "");
      if (req.method !== "POST" || !sub) return answer(404, "no such subscription");
      const force = forced.get(endpoint);
      if (force && force.times > 0) {
        force.times -= 1;
        return res.writeHead(force.status).end();
      }
      const problem = vapidProblem(req.headers.authorization, origin);
      if (problem) return answer(403, problem);
      if (req.headers["content-encoding"] !== "aes128gcm") return answer(415, "Content-Encoding is not aes128gcm");
      const ttl = Number(req.headers.ttl);
      if (req.headers.ttl === undefined || !Number.isInteger(ttl) || ttl < 0) return answer(400, "TTL missing");
      const body = Buffer.concat(chunks);
      if (body.length === 0 || body.length > 4096) return answer(413, "body empty or over 4096 bytes");
      let payload: Record<string, unknown> = {};
      if (requests % decryptEvery === 0 || decryptEvery === 1) {
        try {
          payload = JSON.parse(
            ece.decrypt(body, { version: "aes128gcm", privateKey: sub.ecdh, authSecret: sub.auth }).toString("utf8"),
          ) as Record<string, unknown>;
        } catch (e) {
          return answer(400, `body does not decrypt: ${String(e)}`);
        }
      }
      received.push({ endpoint, payload, ttl, urgency: (req.headers.urgency as string | undefined) ?? null });
      res.writeHead(201, { location: `${endpoint}/m/${requests}` }).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    subscriber: () => {
      const ecdh = crypto.createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = crypto.randomBytes(16);
      const path = `/push/${crypto.randomBytes(12).toString("base64url")}`;
      subscribers.set(path, { ecdh, auth });
      return { endpoint: `${origin}${path}`, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } };
    },
    received,
    rejected,
    requests: () => requests,
    answer: (endpoint, status, times = Infinity) => void forced.set(endpoint, { status, times }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
