import type { BatchStatus, OrderStatus } from "@prisma/client";
import { enumValues } from "~/lib/enum-values";

// The order as an explicit state machine: only these moves exist, each recorded with
// who made it and when (OrderStatusChange). The statuses are the schema's, in its order
// (client-safe: see enumValues).
export type { OrderStatus };
export const ORDER_STATUSES = enumValues<OrderStatus>({
  PENDING_PAYMENT: true,
  PENDING_CONFIRMATION: true,
  CONFIRMED: true,
  PACKED: true,
  SHIPPED: true,
  DELIVERED: true,
  CANCELLED: true,
  REFUNDED: true,
});

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING_PAYMENT: ["CONFIRMED", "CANCELLED"],
  // Cash on delivery: the producer confirms it (or it expires, or either side cancels).
  PENDING_CONFIRMATION: ["CONFIRMED", "CANCELLED"],
  CONFIRMED: ["PACKED", "CANCELLED"],
  PACKED: ["SHIPPED", "CANCELLED"],
  SHIPPED: ["DELIVERED"],
  DELIVERED: [],
  // A paid (Stripe) order that is cancelled ends REFUNDED once the refund is made.
  CANCELLED: ["REFUNDED"],
  REFUNDED: [],
};

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

export function nextStatuses(from: OrderStatus): readonly OrderStatus[] {
  return NEXT[from];
}

/** The moves a producer makes from its orders page (payment and refunds have their own paths). */
export const PRODUCER_MOVES: readonly OrderStatus[] = ["PACKED", "SHIPPED", "DELIVERED", "CANCELLED"];

/** Stock goes back to the batches only when an order is cancelled before it left. */
export function releasesStock(from: OrderStatus, to: OrderStatus): boolean {
  return to === "CANCELLED" && ["PENDING_PAYMENT", "PENDING_CONFIRMATION", "CONFIRMED", "PACKED"].includes(from);
}

/** States that hold stock only until their expiresAt: waiting for payment, or for the producer to confirm COD. */
export const EXPIRING_STATUSES = ["PENDING_PAYMENT", "PENDING_CONFIRMATION"] as const satisfies readonly OrderStatus[];

export function expires(status: OrderStatus): boolean {
  return (EXPIRING_STATUSES as readonly OrderStatus[]).includes(status);
}

/** The move by which a producer confirms a cash-on-delivery order (its own path, never from PENDING_PAYMENT). */
export const PRODUCER_CONFIRMS: { from: OrderStatus; to: OrderStatus } = { from: "PENDING_CONFIRMATION", to: "CONFIRMED" };

/**
 * Lots whose units must not leave, nor take new labels or records: held or recalled (client-safe:
 * the producer's pages mark them).
 */
export const BLOCKED_LOT_STATUSES = ["ON_HOLD", "RECALLED"] as const satisfies readonly BatchStatus[];
export const isBlockedLot = (status: string) => (BLOCKED_LOT_STATUSES as readonly string[]).includes(status);
