import { createContext, useContext, type ReactNode } from "react";

// The per-request CSP nonce (server/browser-security.ts makes it, getLoadContext hands it
// to entry.server.tsx) for Remix's inline scripts. In the browser it is "": browsers hide a
// nonce from the DOM once the page is parsed, and scripts added later come from /build.
const NonceContext = createContext("");

export function NonceProvider({ nonce, children }: { nonce: string; children: ReactNode }) {
  return <NonceContext.Provider value={nonce}>{children}</NonceContext.Provider>;
}

export const useNonce = () => useContext(NonceContext);
