import { z } from "zod";
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { parsedText, requiredText } from "~/lib/fields";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password.server";
import { checkLoginAllowed, recordLoginAttempt } from "./rate-limit.server";

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
    .min(8, "error.passwordTooShort|8")
    .max(200, "error.tooLong|200"),
  accountType: z.enum(["PRODUCER", "SHOPPER"], { errorMap: () => ({ message: "error.chooseOne" }) }),
});
export type SignupInput = z.output<typeof signupSchema>;

export const loginSchema = z.object({
  identifier: identifierField,
  password: z.string({ required_error: "error.required" }).min(1, "error.required").max(200, "error.tooLong|200"),
});

export type SignupResult = { ok: true; userId: string } | { ok: false; field: "identifier"; error: string };

export async function signup(input: SignupInput): Promise<SignupResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await prisma.user.create({
      data: {
        name: input.name,
        passwordHash,
        ...input.identifier,
        roles: { create: [{ role: input.accountType }] },
      },
    });
    return { ok: true, userId: user.id };
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      return { ok: false, field: "identifier", error: "error.identifierTaken" };
    }
    throw e;
  }
}

export type LoginResult =
  | { ok: true; userId: string }
  | { ok: false; error: "error.badCredentials" }
  | { ok: false; error: "error.tooManyAttempts"; retryAfterMinutes: number };

function identifierKey(id: Identifier): string {
  return "phone" in id ? `phone:${id.phone}` : `email:${id.email}`;
}

export async function authenticate(id: Identifier, password: string, ip: string): Promise<LoginResult> {
  const key = identifierKey(id);
  const gate = await checkLoginAllowed(key, ip);
  if (!gate.allowed) return { ok: false, error: "error.tooManyAttempts", retryAfterMinutes: gate.retryAfterMinutes };
  const user = await prisma.user.findUnique({ where: id, select: { id: true, passwordHash: true } });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  await recordLoginAttempt(key, ip, valid && Boolean(user));
  if (!user || !valid) return { ok: false, error: "error.badCredentials" };
  return { ok: true, userId: user.id };
}

/**
 * The client's address for rate limits: the socket's peer, or what the proxies named by
 * TRUST_PROXY say. scripts/server.mjs works it out and always overwrites this header, so
 * a client can never choose it; a bare X-Forwarded-For is never read here.
 */
export function clientIp(request: Request): string {
  return request.headers.get("x-ocop-client-ip") || "unknown";
}
