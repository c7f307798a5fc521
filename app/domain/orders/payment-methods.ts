import type { PaymentMethod } from "@prisma/client";
import { enumValues } from "~/lib/enum-values";

// Client-safe: the checkout form lists these in the browser too (see enumValues).
export type { PaymentMethod };
export const PAYMENT_METHODS = enumValues<PaymentMethod>({ COD: true, VIETQR: true, STRIPE: true });
