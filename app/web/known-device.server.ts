import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { sessionSecrets } from "~/lib/env.server";
import type { KnownDevice } from "~/domain/identity/device-proofs";
import { isHttps } from "./session.server";

// A phone that has logged in to an account before carries this long-lived, signed,
// httpOnly cookie naming that account. Its login attempts are counted on their own
// (login-throttle.server.ts), so a stranger's wrong guesses cannot lock the owner out.
// It grants nothing by itself: the password is still checked.
const DEVICE_DAYS = 365;
// A shared family phone may be the usual device of a few accounts.
const MAX_ACCOUNTS = 5;

const deviceSchema = z.object({ id: z.string().regex(/^[\w-]{16,64}$/), users: z.array(z.string().max(40)).max(MAX_ACCOUNTS) });
export type { KnownDevice };

function deviceCookie(request: Request) {
  return createCookie("ocop_device", {
    httpOnly: true,
    sameSite: "lax",
    secure: isHttps(request),
    path: "/",
    maxAge: DEVICE_DAYS * 24 * 3600,
    secrets: sessionSecrets(),
  });
}

/** The device this request comes from when it carries a valid (signed) known-device cookie. */
export async function readKnownDevice(request: Request): Promise<KnownDevice | null> {
  const value: unknown = await deviceCookie(request).parse(request.headers.get("Cookie"));
  const parsed = deviceSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The Set-Cookie that makes this device known for userId (keeping its other accounts). */
export async function rememberDevice(request: Request, device: KnownDevice | null, userId: string): Promise<string> {
  const next: KnownDevice = {
    id: device?.id ?? crypto.randomBytes(18).toString("base64url"),
    users: [userId, ...(device?.users ?? []).filter((u) => u !== userId)].slice(0, MAX_ACCOUNTS),
  };
  return deviceCookie(request).serialize(next);
}
