import type { MetaFunction } from "@remix-run/node";

// A minimal page through the whole Remix pipeline (root loader, layout, no queries
// of its own): the health check for deployments, and the floor bench/trace measures against.
export const meta: MetaFunction = () => [{ title: "ok" }];
export const handle = { hydrate: false };

export default function Healthz() {
  return <p>ok</p>;
}
