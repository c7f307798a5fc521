// What the production web server (server/) takes from the app build, and the one header
// both sides spell. The server imports this module's types and its one constant only: the
// app's code reaches the server through the Remix build (`serverServices` in
// entry.server.tsx), never by a second import that would load Prisma and the caches twice.
// So this module imports nothing but types.
import type { ServerBuild } from "@remix-run/node";
import type { BodyDecision } from "~/lib/body-limits";

/** Set by the server on a Remix data request (`/….data`), and only there: a client's own is removed. */
export const DATA_REQUEST_HEADER = "x-ocop-data-request";

/** The body limit of one request, decided before a byte of the body is read. */
export type BodyDecider = (method: string, path: string, contentType: string | undefined, contentLength: number | null) => BodyDecision;

/**
 * A page the server answers itself, before static files and Remix's route matching (which
 * ranks every route of the app on each request). `path` is tested against the request's
 * path; its first group is the one parameter, percent-decoded before `answer` gets it.
 * Plain GET and HEAD only; Remix's data requests (`….data`) always go through Remix.
 */
export type DirectPage = {
  path: RegExp;
  /** Null leaves the request to Remix (a page the app answers only for some requests). */
  answer: (request: Request, param: string) => Promise<Response | null>;
};

export type BackgroundWorkHandle = { stop: () => Promise<void> };

export interface ServerServices {
  /** False, after printing each bad setting, when the server must not start. */
  checkEnvironment: () => boolean;
  /** The build to serve: every loader and action answering 503 for a database outage, every
   * component-less route answering a data request with "load it as a document". */
  prepareBuild: (build: ServerBuild) => ServerBuild;
  /** The body limit rule of every route of `routes` (a route declares its own in `handle.body`). */
  bodyRules: (routes: ServerBuild["routes"]) => BodyDecider;
  /** How many fields a buffered form body holds. */
  countFields: (body: Buffer, kind: "urlencoded" | "multipart", contentType: string) => number;
  /** CSP hashes of the static inline scripts some documents carry. */
  inlineScriptHashes: readonly string[];
  /** The pages answered outside Remix (the scan page). */
  directPages: readonly DirectPage[];
  isDatabaseOutage: (error: unknown) => boolean;
  /** One line per few seconds while the database is away. */
  logOutage: (error: unknown) => void;
  /** The 503 page in the visitor's language. */
  outageResponse: (request: Request) => Promise<Response>;
  /** This instance's job worker. */
  startBackgroundWork: (options: { concurrency?: number }) => Promise<BackgroundWorkHandle>;
  /** The visitor's header and viewer island for a kept shop page (web/viewer-header.server.tsx). */
  viewerHeader: (request: Request, here: string) => Promise<{ headerHtml: string; islandText: string }>;
  /** Starts the worker thread that checks lots against the public log, so the first check does not wait for it to load. */
  startLotVerifier: () => void;
  /** Writes the scans still queued in memory (on shutdown). */
  flushScans: () => Promise<void>;
}
