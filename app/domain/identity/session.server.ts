import crypto from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { prisma } from "~/db.server";
import { mergeGuestCart } from "~/domain/orders/cart.server";
import { sessionSecrets, setting } from "~/lib/env.server";

// DB-backed sessions: the cookie holds only a signed random id; logging out or
// expiry deletes the row, so a stolen cookie dies with it.
export const SESSION_DAYS = 30;

/** Secure when the app is served over https (directly, or behind a TLS proxy, or per APP_URL). */
export function isHttps(request: Request): boolean {
  if (new URL(request.url).protocol === "https:") return true;
  if (request.headers.get("x-forwarded-proto") === "https") return true;
  return (setting("APP_URL") ?? "").startsWith("https://");
}

export function sessionCookie(request: Request) {
  return createCookie("ocop_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: isHttps(request),
    path: "/",
    maxAge: SESSION_DAYS * 24 * 60 * 60,
    // SESSION_SECRET="new,old": signed with the first, every one is accepted (rotation).
    secrets: sessionSecrets(),
  });
}

export async function readSessionId(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie(request).parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

/** Live sessions an account may hold (phones, a computer, a few browsers); a new one ends the oldest. */
export const MAX_SESSIONS_PER_USER = 10;

export async function startSession(userId: string): Promise<string> {
  const id = crypto.randomBytes(32).toString("base64url");
  await prisma.$transaction([
    prisma.session.create({ data: { id, userId, expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 60 * 60 * 1000) } }),
    // The account's other sessions past the cap (newest kept) and its expired ones end here.
    prisma.$executeRaw`DELETE FROM "Session" WHERE "userId" = ${userId} AND "id" <> ${id} AND ("expiresAt" < (${new Date().toISOString()}::timestamptz AT TIME ZONE 'UTC') OR "id" IN (
      SELECT "id" FROM "Session" WHERE "userId" = ${userId} AND "id" <> ${id} ORDER BY "createdAt" DESC, "id" DESC OFFSET ${MAX_SESSIONS_PER_USER - 1}))`,
  ]);
  return id;
}

export async function commitSessionHeader(request: Request, sessionId: string): Promise<string> {
  return sessionCookie(request).serialize(sessionId);
}

/** Starts a session and goes to redirectTo; `setCookies` are sent along (e.g. the known-device cookie). */
export async function loginRedirect(request: Request, userId: string, redirectTo: string, setCookies: string[] = []) {
  const id = await startSession(userId);
  const headers = new Headers();
  headers.append("Set-Cookie", await commitSessionHeader(request, id));
  for (const cookie of setCookies) headers.append("Set-Cookie", cookie);
  // What a guest put in the cart stays theirs after logging in.
  const clearGuestCart = await mergeGuestCart(request, userId);
  if (clearGuestCart) headers.append("Set-Cookie", clearGuestCart);
  return redirect(redirectTo, { headers });
}

export async function logout(request: Request) {
  const id = await readSessionId(request);
  if (id) await prisma.session.deleteMany({ where: { id } });
  return redirect("/", { headers: { "Set-Cookie": await sessionCookie(request).serialize("", { maxAge: 0 }) } });
}

/** The live session's user id, or null (unknown, expired or deleted session). */
export async function getSessionUserId(request: Request): Promise<string | null> {
  const id = await readSessionId(request);
  if (!id) return null;
  const session = await prisma.session.findUnique({ where: { id }, select: { userId: true, expiresAt: true } });
  if (!session) return null;
  if (session.expiresAt < new Date()) {
    await prisma.session.deleteMany({ where: { id } });
    return null;
  }
  return session.userId;
}

// Any origin works as the base: only whether the target leaves it matters.
const REDIRECT_BASE = "http://ocop-trace.invalid";
// Browsers drop tabs and newlines from a URL ("/\t/evil.example" becomes "//evil.example") and
// read "\\" as "/"; refused raw or percent-encoded, since a later hop may decode it.
const UNSAFE_IN_PATH = /[\u0000-\u001f\u007f\\]/;

/** Only paths on this site; never an open redirect to another host. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || UNSAFE_IN_PATH.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return fallback;
  }
  if (decoded.startsWith("//") || UNSAFE_IN_PATH.test(decoded)) return fallback;
  return url.pathname + url.search + url.hash;
}
