import crypto from "node:crypto";
import { z } from "zod";
import type { Role } from "@prisma/client";
import { prisma } from "~/db.server";
import { sessionSecrets } from "~/lib/env.server";
import { parsedText, requiredText } from "~/domain/input/fields";
import { dummyPasswordHash, verifyPassword } from "./password.server";
import { auditLogin, loginFailed, loginGate, loginSucceeded } from "./login-throttle.server";
import type { KnownDevice } from "./device-proofs";

/** The accounts anyone may sign up for; the other roles are granted. */
export const SELF_SIGNUP_ROLES = ["PRODUCER", "SHOPPER"] as const satisfies readonly Role[];
export type SelfSignupRole = (typeof SELF_SIGNUP_ROLES)[number];
import { refusal, type Refused } from "~/i18n/refusal";

/** Vietnamese mobile numbers: 0xxxxxxxxx, also written +84 / 84 with spaces or dots. */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/[\s.\-()]/g, "");
  const local = digits.replace(/^\+?84/, "0");
  return /^0[35789]\d{8}$/.test(local) ? local : null;
}

export type Identifier = { phone: string } | { email: string };

export function parseIdentifier(raw: string): Identifier | null {
  const value = raw.trim();
  if (value.includes("@")) {
    const email = value.toLowerCase();
    return z.string().email().max(254).safeParse(email).success ? { email } : null;
  }
  const phone = normalizePhone(value);
  return phone ? { phone } : null;
}

/** A form field holding a Vietnamese mobile number, normalised to 0xxxxxxxxx. */
export const phoneField = parsedText(normalizePhone, "error.badPhone", 30);

const identifierField = parsedText(parseIdentifier, "error.badIdentifier");

export const signupSchema = z.object({
  name: requiredText(100),
  identifier: identifierField,
  password: z
    .string({ required_error: "error.required" })
    .min(8, refusal("error.passwordTooShort", { n: 8 }))
    .max(200, refusal("error.tooLong", { n: 200 })),
  accountType: z.enum(SELF_SIGNUP_ROLES, { errorMap: () => ({ message: "error.chooseOne" }) }),
});
export type SignupInput = z.output<typeof signupSchema>;

export const loginSchema = z.object({
  identifier: identifierField,
  password: z
    .string({ required_error: "error.required" })
    .min(1, "error.required")
    .max(200, refusal("error.tooLong", { n: 200 })),
});

export type LoginResult =
  | { ok: true; userId: string }
  | { ok: false; error: "error.badCredentials" }
  | { ok: false; error: "error.tooManyAttempts"; retryAfterSeconds: number };

export function identifierKey(id: Identifier): string {
  return "phone" in id ? `phone:${id.phone}` : `email:${id.email}`;
}

/** Checks a password under the login limits (login-throttle.server.ts); `device` is the caller's known-device cookie, if any. */
export async function authenticate(
  id: Identifier,
  password: string,
  from: { ip: string; device: KnownDevice | null },
): Promise<LoginResult> {
  const key = identifierKey(id);
  const user = await prisma.user.findUnique({ where: id, select: { id: true, passwordHash: true } });
  // Counted per account (whichever of its phone or e-mail is typed), else per identifier.
  const subject = user ? `user:${user.id}` : key;
  const deviceId = user && from.device?.users.includes(user.id) ? from.device.id : null;
  const gate = await loginGate(subject, from.ip, deviceId);
  if (!gate.ok) return { ok: false, error: "error.tooManyAttempts", retryAfterSeconds: gate.retryAfterSeconds };
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  const succeeded = valid && Boolean(user);
  await Promise.all([auditLogin(key, from.ip, succeeded), succeeded ? loginSucceeded(subject, deviceId) : loginFailed(subject, deviceId)]);
  if (!user || !succeeded) return { ok: false, error: "error.badCredentials" };
  return { ok: true, userId: user.id };
}

/** The wait as a refusal: "error.tooManyAttempts" in minutes, or in hours once the wait is long. */
export function waitMessage(retryAfterSeconds: number): Refused {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return minutes >= 120
    ? refusal("error.tooManyAttemptsHours", { n: Math.ceil(minutes / 60) })
    : refusal("error.tooManyAttempts", { n: minutes });
}

/**
 * Who a client is, for counting clients without keeping their address: an HMAC of the
 * trusted client address (and any other `parts`, such as the browser family) under the
 * first session secret and `purpose`, cut to 128 bits. Without the secret a key cannot be
 * matched to an address, and keys of one purpose cannot be matched to another's.
 */
export function clientKey(clientAddress: string, purpose: string, ...parts: string[]): string {
  return crypto
    .createHmac("sha256", `${purpose}\u0000${sessionSecrets()[0]}`)
    .update([clientAddress, ...parts].join("\u0000"))
    .digest("base64url")
    .slice(0, 22);
}
