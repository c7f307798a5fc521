import { z } from "zod";
import { appUrl } from "~/lib/app-url.server";
import { getTranslator } from "~/i18n/locale.server";
import type { Translate } from "~/i18n/translate";
import { takeToken } from "~/domain/security/rate-limits.server";
import { clientIp } from "~/web/client-address.server";
import { tooManyRequests } from "~/web/too-many-requests.server";
import { GS1_VOC, LINK_TYPES, lookupGs1, readLinkType, type Gs1Entry, type Gs1Link } from "~/domain/trace/gs1-resolver.server";

// The machine side of the GS1 Digital Link paths (GS1-Conformant Resolver Standard): a request
// with `linkType`, or one that accepts application/linkset+json, is answered here; anything
// else (a phone's browser) gets the trace page exactly as before. See docs/decisions/036-gs1-resolver.md.

export const LINKSET_TYPE = "application/linkset+json";
/** GS1's JSON-LD context for linksets, named in a Link header beside each linkset. */
export const LINKSET_CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context";

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
  "Access-Control-Expose-Headers": "Link, Location",
};

// One linkType value, at most as long as the longest GS1 Web Vocabulary URI of ours needs.
const QuerySchema = z.object({ linkType: z.string().min(1).max(100).nullable() });

/** The Link header value that points a client at the linkset of the entry at `path`. */
export function linksetLinkHeader(path: string): string {
  return `<${appUrl()}${path}?linkType=linkset>; rel="linkset"; type="${LINKSET_TYPE}"`;
}

/** Whether this request is for the resolver (linkType, or a linkset by content negotiation). */
export function wantsResolver(request: Request): boolean {
  const url = new URL(request.url);
  return url.searchParams.has("linkType") || (request.headers.get("Accept") ?? "").toLowerCase().includes(LINKSET_TYPE);
}

function problem(status: number, error: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", Vary: "Accept", ...CORS, ...extra },
  });
}

function title(t: Translate, entry: Gs1Entry, link: Gs1Link): string {
  const n = entry.productName;
  const m = entry.lotCode ?? "";
  switch (link.linkType) {
    case "pip":
      return t("gs1.title.pip", { n });
    case "certificationInfo":
      return t("gs1.title.certificationInfo", { n });
    case "epcis":
      return t("gs1.title.epcis", { n, m });
    case "recallStatus":
      return t(link.about === "recalled" ? "gs1.title.recalled" : "gs1.title.noRecall", { n, m });
    default:
      return t(link.about === "unit" ? "gs1.title.unit" : link.about === "lot" ? "gs1.title.lot" : "gs1.title.product", { n, m });
  }
}

/** The RFC 9264 linkset of one entry, in the shape GS1's linkset schema asks for. */
export function linksetOf(entry: Gs1Entry, t: Translate) {
  const root = appUrl();
  const context: Record<string, unknown> = {
    anchor: root + entry.path,
    itemDescription: entry.lotCode ? t("gs1.title.lot", { n: entry.productName, m: entry.lotCode }) : entry.productName,
  };
  for (const linkType of LINK_TYPES) {
    const links = entry.links.filter((l) => l.linkType === linkType);
    if (links.length === 0) continue;
    context[GS1_VOC + linkType] = links.map((l) => ({
      href: root + l.path,
      title: title(t, entry, l),
      type: l.type,
      // Every page of the site is in Vietnamese and English (the visitor's choice).
      hreflang: ["vi", "en"],
    }));
  }
  return { linkset: [context] };
}

/** The target of a redirect: the link's URL with the request's other key=value pairs passed on. */
function redirectTarget(request: Request, path: string): string {
  const target = new URL(appUrl() + path);
  for (const [key, value] of new URL(request.url).searchParams) if (key !== "linkType") target.searchParams.append(key, value);
  return target.toString();
}

/**
 * The resolver's answer for /01/{gtin}[/10/{lot}[/21/{serial}]], or null when the request is a
 * page view (the caller answers it as before). 400 for a URI that is not a valid Digital Link
 * or an unreadable query, 404 unknown, 410 withdrawn, 429 over LIMITS.gs1Resolver; else the
 * linkset (200) or a 307 to the asked link, or to the default link when there is no such link.
 */
export async function gs1ResolverAnswer(
  request: Request,
  gtin: string,
  lot: string | null,
  serial: string | null,
): Promise<Response | null> {
  if (!wantsResolver(request)) return null;
  const query = QuerySchema.safeParse({ linkType: new URL(request.url).searchParams.get("linkType") });
  if (!query.success) return problem(400, "linkType must be a link type (gs1:pip, gs1:traceability, …) or linkset");
  const limit = await takeToken("gs1Resolver", clientIp(request));
  if (!limit.ok) return tooManyRequests(limit.retryAfterSeconds);

  const found = await lookupGs1(gtin, lot, serial);
  if (found.kind === "invalid")
    return problem(400, "not a GS1 Digital Link URI: a GTIN-14 with its check digit, lot and serial in GS1 AI 82");
  if (found.kind === "unknown") return problem(404, "unknown GS1 identifier");
  if (found.kind === "gone") return problem(410, "this GS1 identifier was withdrawn");
  const { entry } = found;
  const asked = query.data.linkType === null ? "linkset" : readLinkType(query.data.linkType);
  const common = { ...CORS, Vary: "Accept", Link: linksetLinkHeader(entry.path), "Cache-Control": "public, max-age=60" };

  if (asked === "linkset") {
    const { t } = await getTranslator(request);
    return new Response(JSON.stringify(linksetOf(entry, t)), {
      headers: {
        ...common,
        "Content-Type": LINKSET_TYPE,
        Link: `${common.Link}, <${LINKSET_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
      },
    });
  }
  const link = entry.links.find((l) => l.linkType === asked) ?? entry.links.find((l) => l.linkType === "defaultLink");
  return new Response(null, { status: 307, headers: { ...common, Location: redirectTarget(request, link?.path ?? entry.path) } });
}

/** /.well-known/gs1resolver: GS1 primary key 01 (GTIN, with lot and serial) and the GS1 Web Vocabulary. */
export function gs1ResolverDescription() {
  return {
    name: "ocop-trace",
    resolverRoot: appUrl(),
    supportedPrimaryKeys: ["01"],
    supportedLinkType: [{ namespace: GS1_VOC, prefix: "gs1:" }],
    // linkset is asked for (linkType=linkset or Accept), never the default: a phone gets the trace page.
    linkTypeDefaultCanBeLinkset: false,
    jsonLdContextLocation: LINKSET_CONTEXT,
  };
}
