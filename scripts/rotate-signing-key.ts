// `npm run keys:rotate`: a new Ed25519 key signs inspections from now on. The old key's
// private half is dropped and its public half stays published, so older records still verify.
// Restart the app afterwards (it reads the keyring when it signs, so a restart is only tidy).
import { publishedKeys, rotateSigningKey } from "../app/domain/inspection/signing.server";

const id = rotateSigningKey();
console.log(`[ocop-trace] new signing key ${id}; published keys: ${publishedKeys().map((k) => `${k.kid}${k.retiredAt ? " (retired)" : ""}`).join(", ")}`);
