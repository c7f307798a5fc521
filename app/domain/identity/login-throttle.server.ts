import { prisma } from "~/db.server";
import { peekLimit, resetLimit, takeToken, type LimitName } from "~/domain/security/rate-limits.server";

// Who may try a password now (the shared limits of security/rate-limits.server.ts, in PostgreSQL).
//  - From a device known for the account (signed cookie, known-device.server.ts): only that
//    (account, device) pair's own allowance counts. A stranger's guesses never touch it,
//    so the owner's usual phone gets in with the right password whatever strangers do.
//  - From anywhere else: the client address's allowance (the trusted IP only), and the
//    account's, which shrinks as wrong guesses go on: 5 per 15 minutes, 10 per hour, 20 per
//    day, so each block lasts longer than the one before.
// The first counter of each path is taken before the password is checked, so parallel
// guesses cannot slip past it; the longer ones only count wrong passwords.

const LONGER: LimitName[] = ["loginPerIdentifierHour", "loginPerIdentifierDay"];

export type LoginGate = { ok: true } | { ok: false; retryAfterSeconds: number };

const refused = (seconds: number): LoginGate => ({ ok: false, retryAfterSeconds: seconds });

/** Whether this attempt may check a password. `subject` names the account (or the unknown identifier). */
export async function loginGate(subject: string, ip: string, deviceId: string | null): Promise<LoginGate> {
  if (deviceId) {
    // Still a per-client limit, in a count of its own: strangers' guesses (the count below)
    // cannot lock the owner out, and a success does not reset it, so one account cannot
    // log in without end from one address (the session cap bounds what is stored).
    const client = await takeToken("loginKnownDevicePerClient", ip);
    if (!client.ok) return refused(client.retryAfterSeconds);
    const own = await takeToken("loginPerDevice", `${subject}|${deviceId}`);
    return own.ok ? { ok: true } : refused(own.retryAfterSeconds);
  }
  // The client address is counted on every attempt, so one address cannot try many accounts.
  // Known devices skip it: many phones share one carrier address (CGNAT) with strangers.
  const client = await takeToken("loginPerClient", ip);
  if (!client.ok) return refused(client.retryAfterSeconds);
  const quarter = await takeToken("loginPerIdentifier", subject);
  const longer = await Promise.all(LONGER.map((name) => peekLimit(name, subject)));
  const waits = [quarter, ...longer].flatMap((r) => (r.ok ? [] : [r.retryAfterSeconds]));
  return waits.length ? refused(Math.max(...waits)) : { ok: true };
}

export async function loginFailed(subject: string, deviceId: string | null): Promise<void> {
  if (deviceId) return; // already counted by loginGate
  await Promise.all(LONGER.map((name) => takeToken(name, subject)));
}

/** The right password: earlier wrong guesses at this account (from this path) are forgotten. */
export async function loginSucceeded(subject: string, deviceId: string | null): Promise<void> {
  if (deviceId) return resetLimit("loginPerDevice", `${subject}|${deviceId}`);
  await Promise.all((["loginPerIdentifier", ...LONGER] as LimitName[]).map((name) => resetLimit(name, subject)));
}

/** Every password checked, kept as an audit log for admins (the limits above do not read it). */
export async function auditLogin(identifier: string, ip: string, succeeded: boolean): Promise<void> {
  await prisma.loginAttempt.create({ data: { identifier, ip, succeeded } });
}
