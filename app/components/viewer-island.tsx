import type { Role } from "@prisma/client";

// A shop page the server keeps for everyone (server/list-cache.ts) is rendered for nobody in
// particular: its root data says so (`viewerInPage`), and the server writes the visitor's own
// header and this island into each copy it sends. The island is JSON (not a script the
// browser runs), read once when the page hydrates, so the header hydrates as it was sent;
// once the root loader runs again in the browser (after an action, a search), its data wins.

export const VIEWER_ISLAND_ID = "ocop-viewer";

export type Viewer = { user: { name: string; roles: Role[] } | null; cartItems: number };
export type RootViewerData = Viewer & { viewerInPage?: boolean };

/** The island's text: JSON with `<` escaped, so no value can close the script element. */
export function viewerIslandText(viewer: Viewer): string {
  return JSON.stringify({ user: viewer.user, cartItems: viewer.cartItems }).replace(/</g, "\\u003c");
}

let documentIsland: string | null | undefined;
/** What the document as sent held (browser only; read before React touches the element). */
function islandInDocument(): string | null {
  if (typeof document === "undefined") return null;
  if (documentIsland === undefined) documentIsland = document.getElementById(VIEWER_ISLAND_ID)?.textContent ?? null;
  return documentIsland;
}

function parsed(text: string | null): Viewer | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Viewer>;
    const user = value.user;
    const validUser = user === null || (typeof user?.name === "string" && Array.isArray(user.roles));
    return validUser && typeof value.cartItems === "number" ? { user: user ?? null, cartItems: value.cartItems } : null;
  } catch {
    return null;
  }
}

/** Who the header is for: the root loader's data, or, on a kept page, the island's. */
export function viewerOf(data: RootViewerData): Viewer {
  if (!data.viewerInPage) return { user: data.user, cartItems: data.cartItems };
  return parsed(islandInDocument()) ?? { user: data.user, cartItems: data.cartItems };
}

/** The island, on a kept page only. In the browser it keeps the text the document was sent with. */
export function ViewerIsland({ data }: { data: RootViewerData }) {
  if (!data.viewerInPage) return null;
  const text = islandInDocument() ?? viewerIslandText(data);
  return <script type="application/json" id={VIEWER_ISLAND_ID} dangerouslySetInnerHTML={{ __html: text }} suppressHydrationWarning />;
}
