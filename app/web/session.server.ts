import { createCookie, redirect } from "@remix-run/node";
import { endSession, SESSION_DAYS, sessionUserId } from "~/domain/identity/sessions.server";
import { sessionSecrets, setting } from "~/lib/env.server";

// The session cookie holds only a signed random id of a session row (domain/identity/sessions.server.ts).

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

export async function commitSessionHeader(request: Request, sessionId: string): Promise<string> {
  return sessionCookie(request).serialize(sessionId);
}

export async function logout(request: Request) {
  const id = await readSessionId(request);
  if (id) await endSession(id);
  return redirect("/", { headers: { "Set-Cookie": await sessionCookie(request).serialize("", { maxAge: 0 }) } });
}

/** The live session's user id, or null (no cookie, or an unknown, expired or deleted session). */
export async function getSessionUserId(request: Request): Promise<string | null> {
  const id = await readSessionId(request);
  return id ? sessionUserId(id) : null;
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
