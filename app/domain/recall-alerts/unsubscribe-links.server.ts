import crypto from "node:crypto";
import { appUrl } from "~/lib/app-url.server";
import { sessionSecrets } from "~/lib/env.server";

// Every alert carries a link that ends its subscription. Only a hash of a subscriber's secret
// is stored, so a message written later cannot hold that secret: the link is instead the
// subscription id with an HMAC of it under the server secret ({id}.{mac}). Anyone holding a
// message can unsubscribe (that is the point); nobody can make a link for another id. Made with
// the first SESSION_SECRET and checked against all of them, so rotating the secret the way
// sessions rotate it ("new,old") keeps the links in messages already sent working.

const MAC_BYTES = 16;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function macOf(secret: string, subscriptionId: string): Buffer {
  return crypto.createHmac("sha256", secret).update(`recall-alert-unsubscribe\n${subscriptionId}`).digest().subarray(0, MAC_BYTES);
}

/** The token in /thu-hoi/huy/{token} for this subscription. */
export function unsubscribeTokenFor(subscriptionId: string): string {
  return `${subscriptionId}.${macOf(sessionSecrets()[0]!, subscriptionId).toString("base64url")}`;
}

/** The absolute unsubscribe link every message of this subscription carries. */
export function unsubscribeUrlFor(subscriptionId: string): string {
  return `${appUrl()}/thu-hoi/huy/${unsubscribeTokenFor(subscriptionId)}`;
}

/** The subscription id a token was made for, or null when it was not made here (or is malformed). */
export function verifyUnsubscribeToken(token: string): string | null {
  const dot = token.lastIndexOf(".");
  if (dot < 1) return null;
  const id = token.slice(0, dot);
  const mac = Buffer.from(token.slice(dot + 1), "base64url");
  if (!ID_PATTERN.test(id) || mac.length !== MAC_BYTES) return null;
  return sessionSecrets().some((secret) => crypto.timingSafeEqual(macOf(secret, id), mac)) ? id : null;
}
