import { PaymentMethod } from "@prisma/client";

// Client-safe: the checkout form lists these in the browser too (the browser build of
// @prisma/client carries its enums).
export { PaymentMethod };
export const PAYMENT_METHODS = Object.values(PaymentMethod);
