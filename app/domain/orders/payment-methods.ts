// Client-safe: the checkout form lists these in the browser too.
export const PAYMENT_METHODS = ["COD", "VIETQR", "STRIPE"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
