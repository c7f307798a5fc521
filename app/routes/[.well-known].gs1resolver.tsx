import { gs1ResolverDescription } from "~/web/gs1-resolver.server";

// The GS1-Conformant Resolver's description file: what this resolver answers and how. No
// database read: it is built from constants and APP_URL.
export function loader() {
  return Response.json(gs1ResolverDescription(), {
    headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=3600" },
  });
}
