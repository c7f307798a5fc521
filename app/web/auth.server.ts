import { createCookie, redirect } from "@remix-run/node";
import type { Producer, ProducerMember, Role } from "@prisma/client";
import { prisma } from "~/db.server";
import { sessionSecrets } from "~/lib/env.server";
import { getSessionUserId } from "./session.server";

export type CurrentUser = {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  roles: Role[];
};

export async function getOptionalUser(request: Request): Promise<CurrentUser | null> {
  const userId = await getSessionUserId(request);
  if (!userId) return null;
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { id: true, name: true, phone: true, email: true, roles: { select: { role: true } } },
  });
  if (!user) return null;
  return { ...user, roles: user.roles.map((r) => r.role) };
}

export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export function forbidden(): Response {
  return new Response("Forbidden", { status: 403, statusText: "Forbidden" });
}

export function notFound(): Response {
  return new Response("Not Found", { status: 404, statusText: "Not Found" });
}

export async function requireRole(request: Request, ...roles: Role[]): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!roles.some((r) => user.roles.includes(r))) throw forbidden();
  return user;
}

export type ProducerContext = {
  user: CurrentUser;
  producer: Producer;
  membership: ProducerMember;
};

/** Which household a helper is working for right now (signed, httpOnly). */
export function actingCookie() {
  return createCookie("ocop_acting", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 12 * 3600, secrets: sessionSecrets() });
}

/**
 * The signed-in user and the producer they work for: their own producer, or —
 * for a community helper — the household they chose to act for, which must
 * still list them as its helper. Producer users without a profile are sent to make one.
 */
export async function requireProducerMember(request: Request): Promise<ProducerContext> {
  const user = await requireRole(request, "PRODUCER", "HELPER");
  if (user.roles.includes("HELPER")) {
    const acting: unknown = await actingCookie().parse(request.headers.get("Cookie"));
    if (typeof acting === "string") {
      const helped = await prisma.producerMember.findUnique({
        where: { producerId_userId: { producerId: acting, userId: user.id } },
        include: { producer: true },
      });
      if (helped?.role === "HELPER") {
        const { producer, ...membership } = helped;
        return { user, producer, membership };
      }
      // A household that no longer (or never) listed this helper.
      throw forbidden();
    }
  }
  const membership = await prisma.producerMember.findFirst({
    where: { userId: user.id, role: { in: ["OWNER", "MEMBER"] } },
    include: { producer: true },
    orderBy: { createdAt: "asc" },
  });
  if (!membership) throw redirect(user.roles.includes("PRODUCER") ? "/producer/profile" : "/helper");
  const { producer, ...rest } = membership;
  return { user, producer, membership: rest };
}

/** Writes are for producers that are not suspended; issuing codes needs APPROVED. */
export async function requireActiveProducer(request: Request): Promise<ProducerContext> {
  const ctx = await requireProducerMember(request);
  if (ctx.producer.status === "SUSPENDED") throw forbidden();
  return ctx;
}

export async function requireApprovedProducer(request: Request): Promise<ProducerContext> {
  const ctx = await requireProducerMember(request);
  if (ctx.producer.status !== "APPROVED") throw forbidden();
  return ctx;
}
