import { prisma } from "~/db.server";
import { startServer } from "./server-process";
import { trustProxySetting } from "../../server/trust-proxy";

// Rate limits key on the client address. A client-supplied X-Forwarded-For must never
// choose it; only the proxies TRUST_PROXY names may. One real server process per case.

const serve = (trustProxy: string | undefined) =>
  trustProxy ? startServer({ TRUST_PROXY: trustProxy }) : startServer({}, ["TRUST_PROXY"]);

async function failedLoginIp(base: string, identifier: string, headers: Record<string, string>) {
  await fetch(`${base}/login`, {
    method: "POST",
    headers,
    body: new URLSearchParams({ identifier, password: "sai-mat-khau" }),
    redirect: "manual",
  });
  return (
    await prisma.loginAttempt.findFirstOrThrow({ where: { identifier: { contains: identifier.slice(1) } }, orderBy: { createdAt: "desc" } })
  ).ip;
}

describe("the client address used for rate limits", () => {
  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For or X-Ocop-Client-Ip says", async () => {
    const { base, proc } = await serve(undefined);
    try {
      expect(await failedLoginIp(base, "0900000001", { "X-Forwarded-For": "203.0.113.9", "X-Ocop-Client-Ip": "198.51.100.7" })).toBe(
        "127.0.0.1",
      );
    } finally {
      proc.kill();
    }
  }, 30_000);

  it("is the forwarded address when the request came through a trusted proxy (TRUST_PROXY=loopback)", async () => {
    const { base, proc } = await serve("loopback");
    try {
      expect(await failedLoginIp(base, "0900000002", { "X-Forwarded-For": "203.0.113.9" })).toBe("203.0.113.9");
      // Only the hop the trusted proxy added counts: a spoofed address before it is ignored.
      expect(await failedLoginIp(base, "0900000003", { "X-Forwarded-For": "6.6.6.6, 203.0.113.10" })).toBe("203.0.113.10");
    } finally {
      proc.kill();
    }
  }, 30_000);

  it("reads TRUST_PROXY as Express's trust proxy forms", () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting("false")).toBe(false);
    expect(trustProxySetting("1")).toBe(1);
    expect(trustProxySetting("loopback, 10.0.0.0/8")).toEqual(["loopback", "10.0.0.0/8"]);
  });
});
