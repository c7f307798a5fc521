// The webhook secret the e2e server is started with; journeys sign Stripe events with it.
export const E2E_STRIPE_WEBHOOK_SECRET = "whsec_e2e_ocop";
