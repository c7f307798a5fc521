import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { isHttps } from "~/web/session.server";
import { sessionSecrets } from "~/lib/env.server";
import type { SignedList } from "~/domain/identity/device-proofs";

/**
 * A signed, httpOnly cookie holding a random device id and the newest few ids this device was
 * given (codes it asked for, units it scanned). It proves only "this browser was here before";
 * whatever it unlocks is still checked. One shape for the code ticket and the held-unit cookie.
 */
export type { SignedList };

const listSchema = z.object({ h: z.string().regex(/^[\w-]{16,64}$/), ids: z.array(z.string().max(40)) });

export function signedListCookie(name: string, maxAgeSeconds: number, maxIds: number) {
  const cookie = (request: Request) =>
    createCookie(name, {
      httpOnly: true,
      sameSite: "lax",
      secure: isHttps(request),
      path: "/",
      maxAge: maxAgeSeconds,
      secrets: sessionSecrets(),
    });
  async function read(request: Request): Promise<SignedList | null> {
    const parsed = listSchema.safeParse(await cookie(request).parse(request.headers.get("Cookie")));
    return parsed.success ? { device: parsed.data.h, ids: parsed.data.ids.slice(0, maxIds) } : null;
  }
  /** The Set-Cookie adding id (newest first, keeping maxIds) and the device id it names, or null when the cookie names it already. */
  async function addEntry(request: Request, id: string): Promise<{ setCookie: string; device: string } | null> {
    const list = await read(request);
    if (list?.ids.includes(id)) return null;
    const device = list?.device ?? crypto.randomBytes(18).toString("base64url");
    return { setCookie: await cookie(request).serialize({ h: device, ids: [id, ...(list?.ids ?? [])].slice(0, maxIds) }), device };
  }
  /** The Set-Cookie adding id, or null when the cookie names it already. */
  const add = async (request: Request, id: string) => (await addEntry(request, id))?.setCookie ?? null;
  return { read, add, addEntry };
}
