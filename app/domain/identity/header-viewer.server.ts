import type { Role } from "@prisma/client";
import { prisma } from "~/db.server";

export type HeaderViewer = { user: { name: string; roles: Role[] } | null; cartItems: number };

/**
 * Who the site header names and how many units their cart holds, in one round trip: every
 * page and every kept shop page a signed-in visitor opens asks this (server/list-cache.ts),
 * and the separate session, user, roles and cart lookups were most of such a page's cost.
 * The same rules as those lookups: a live session names its user and their own cart;
 * otherwise the guest cart the cookie names counts, unless it belongs to an account.
 */
export async function headerViewer(sessionId: string | null, guestCartId: string | null): Promise<HeaderViewer> {
  if (sessionId === null && guestCartId === null) return { user: null, cartItems: 0 };
  const [row] = await prisma.$queryRaw<{ name: string | null; roles: Role[] | null; cartItems: number }[]>`
    WITH viewer AS (
      SELECT u.id, u.name FROM "Session" s JOIN "User" u ON u.id = s."userId"
      WHERE s.id = ${sessionId ?? ""} AND s."expiresAt" >= ${new Date()}
    ), cart AS (
      SELECT c.id FROM "Cart" c
      WHERE c."userId" = (SELECT id FROM viewer)
         OR (NOT EXISTS (SELECT 1 FROM viewer) AND c.id = ${guestCartId ?? ""} AND c."userId" IS NULL)
    )
    SELECT (SELECT name FROM viewer) AS "name",
           (SELECT array_agg(r.role::text) FROM "UserRole" r WHERE r."userId" = (SELECT id FROM viewer)) AS "roles",
           (SELECT coalesce(sum(i.quantity), 0)::int FROM "CartItem" i WHERE i."cartId" IN (SELECT id FROM cart)) AS "cartItems"`;
  return {
    user: row?.name != null ? { name: row.name, roles: row.roles ?? [] } : null,
    cartItems: row?.cartItems ?? 0,
  };
}
