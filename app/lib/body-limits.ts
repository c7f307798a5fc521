import { MAX_FORM_BYTES } from "./upload-limits";

// How big a request body may be, decided from the method, the path and the declared type
// before a byte of it is read (server/body-limits.ts enforces it at the server's edge, from
// Content-Length and again while streaming). Unbounded form bodies were a freeze: one anonymous
// 80 MB `a&a&…` post to /login held the process for 37 s.

/**
 * A form without a file, reachable by anyone: the longest is a 1,000-character report message,
 * at most ~9 KB urlencoded when every letter is accented Vietnamese (3 UTF-8 bytes → 9 characters).
 */
export const FORM_BODY_BYTES = 16 * 1024;
/** Signed-in work screens: a product description may have 4,000 characters (≤ 36 KB urlencoded). */
export const WORKSPACE_FORM_BODY_BYTES = 64 * 1024;
/** Our largest form has ~35 fields (34 province boxes for an inspector's grant). */
export const FORM_FIELDS = 100;
/** Multipart forms that carry files: the upload parser's own total, plus room for the part headers. */
export const UPLOAD_BODY_BYTES = MAX_FORM_BYTES + 64 * 1024;
/** Multipart parts of an upload form (web/upload-form.server.ts MAX_FORM_PARTS also counts them while parsing). */
export const UPLOAD_PARTS = 40;

const WORKSPACE_PREFIXES = ["/producer/", "/inspector/", "/admin/", "/helper/"];
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;
export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"] as const;

/**
 * What a route declares about its body in `handle.body`: "upload" takes multipart files up to
 * UPLOAD_BODY_BYTES; an object names its own limit and types (a webhook, a witness's note).
 * Routes that declare nothing take small forms.
 */
export type RouteBody = "upload" | { bytes: number; types: readonly string[] };

export type BodyDecision =
  | { ok: true; bytes: number; fields: number; stream: boolean; kind: "urlencoded" | "multipart" | "other" | "empty" }
  | { ok: false; status: 405 | 413 | 415; reason: "method" | "size" | "type" };

type RouteLike = { id: string; parentId?: string; path?: string; index?: boolean; module: { handle?: unknown } };

type Declared = { pattern: RegExp; body: RouteBody };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The full path pattern of a route (its parents' paths joined), params as one segment each. */
function patternOf(route: RouteLike, routes: Record<string, RouteLike | undefined>): RegExp {
  const parts: string[] = [];
  for (let r: RouteLike | undefined = route; r; r = r.parentId ? routes[r.parentId] : undefined) if (r.path) parts.unshift(r.path);
  const segments = parts.join("/").split("/").filter(Boolean);
  const source = segments.map((s) => (s.startsWith(":") ? "[^/]+" : escape(s))).join("/");
  return new RegExp(`^/${source}/?$`);
}

function declaredBody(handle: unknown): RouteBody | null {
  if (typeof handle !== "object" || handle === null || !("body" in handle)) return null;
  const body = handle.body;
  if (body === "upload") return body;
  if (typeof body === "object" && body !== null && "bytes" in body && "types" in body) return body as RouteBody;
  return null;
}

const baseType = (contentType: string) => contentType.split(";")[0]!.trim().toLowerCase();

/** The rule for every route of a build: built once, then one regex test per declaring route per request. */
export function bodyRules(routes: Record<string, RouteLike | undefined>) {
  const declared: Declared[] = [];
  for (const route of Object.values(routes)) {
    if (!route) continue;
    const body = declaredBody(route.module.handle);
    if (body) declared.push({ pattern: patternOf(route, routes), body });
  }

  return function decide(method: string, path: string, contentType: string | undefined, contentLength: number | null): BodyDecision {
    if (!(ALLOWED_METHODS as readonly string[]).includes(method)) return { ok: false, status: 405, reason: "method" };
    const type = baseType(contentType ?? "");
    const noBody = contentLength === 0 || (contentLength === null && type === "");
    if (method === "GET" || method === "HEAD" || (noBody && type === ""))
      return { ok: true, bytes: 0, fields: 0, stream: false, kind: "empty" };
    const route = declared.find((d) => d.pattern.test(path))?.body ?? null;
    let decision: BodyDecision;
    if (route !== null && route !== "upload") {
      decision = route.types.includes(type)
        ? { ok: true, bytes: route.bytes, fields: FORM_FIELDS, stream: false, kind: "other" }
        : { ok: false, status: 415, reason: "type" };
    } else if (!(FORM_TYPES as readonly string[]).includes(type)) {
      decision = { ok: false, status: 415, reason: "type" };
    } else if (route === "upload" && type === "multipart/form-data") {
      // Files stream through the upload parser, which holds at most its own limits in memory.
      decision = { ok: true, bytes: UPLOAD_BODY_BYTES, fields: UPLOAD_PARTS, stream: true, kind: "multipart" };
    } else {
      const bytes = WORKSPACE_PREFIXES.some((p) => path.startsWith(p)) ? WORKSPACE_FORM_BODY_BYTES : FORM_BODY_BYTES;
      decision = { ok: true, bytes, fields: FORM_FIELDS, stream: false, kind: type === "multipart/form-data" ? "multipart" : "urlencoded" };
    }
    if (decision.ok && contentLength !== null && contentLength > decision.bytes) return { ok: false, status: 413, reason: "size" };
    return decision;
  };
}

/** How many fields a buffered form body holds (urlencoded pairs, or multipart parts). */
export function countFields(body: Buffer, kind: "urlencoded" | "multipart", contentType: string): number {
  if (kind === "urlencoded") {
    let n = body.length > 0 ? 1 : 0;
    for (let i = body.indexOf(0x26); i !== -1; i = body.indexOf(0x26, i + 1)) n++;
    return n;
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = Buffer.from(`--${(boundary?.[1] ?? boundary?.[2] ?? "").trim()}`);
  if (marker.length <= 2) return 0;
  let n = -1; // the closing delimiter is not a part
  for (let i = body.indexOf(marker); i !== -1; i = body.indexOf(marker, i + marker.length)) n++;
  return Math.max(0, n);
}

/** A route module's `handle` as far as bodies go. */
export type RouteHandle = { body?: RouteBody; hydrate?: boolean };
