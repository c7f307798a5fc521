import { publishedKeys } from "~/domain/keys/signing-keys.server";

// The platform's Ed25519 public keys (current and retired), so anyone can check an
// inspection signature without trusting this server's verify page.
export async function loader() {
  return Response.json(
    { issuer: "ocop-trace", algorithm: "Ed25519", signs: "RFC 8785 canonical JSON of each inspection record", keys: await publishedKeys() },
    { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" } },
  );
}
