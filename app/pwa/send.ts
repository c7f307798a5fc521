import { findQueued, allQueued, sendOrder, updateQueued, type QueuedEvent } from "./queue";

// Sends the queue to the server's sync endpoint (POST /producer/batches/{id}/events/sync),
// oldest first, one at a time, from a page or from the service worker. Each item carries
// its clientKey, so sending one again (a timeout, two tabs, the worker and a page at once)
// never makes a second event: the server answers "duplicate".

export const SYNC_TAG = "ocop-send-queue";

export type Outcome =
  | { kind: "sent"; eventId: string; duplicate: boolean }
  | { kind: "failed"; reason: string; message?: string; fieldErrors?: Record<string, string> }
  /** Logged out or not allowed: the producer logs in again; the item stays as it is. */
  | { kind: "login" }
  /** No network or the server is down: stop here and try later, in order. */
  | { kind: "retry" };

type SyncAnswer = { status?: string; eventId?: string; reason?: string; message?: string; fieldErrors?: Record<string, string> };

/** What a sync answer means for the queued item (pure: vitest). */
export function outcomeOf(status: number, contentType: string | null, body: SyncAnswer | null, redirected = false): Outcome {
  if (redirected || status === 0 || status === 401 || status === 403) return { kind: "login" };
  const json = (contentType ?? "").includes("application/json") && body !== null;
  if ((status === 200 || status === 201) && json && (body.status === "created" || body.status === "duplicate") && body.eventId) {
    return { kind: "sent", eventId: body.eventId, duplicate: body.status === "duplicate" };
  }
  if ((status === 422 || status === 409) && json)
    return { kind: "failed", reason: body.reason ?? "error.badRequest", message: body.message, fieldErrors: body.fieldErrors };
  if (status === 404) return { kind: "failed", reason: "queue.batchGone" };
  if (status === 413) return { kind: "failed", reason: "error.fileTooLarge" };
  if (status >= 400 && status < 500 && status !== 408 && status !== 429)
    return { kind: "failed", reason: body?.reason ?? "error.badRequest", message: body?.message };
  return { kind: "retry" };
}

/** The multipart body the sync endpoint reads (the online form's fields plus kind, clientKey, capturedAt). */
export function syncBody(item: QueuedEvent): FormData {
  const body = new FormData();
  body.set("kind", item.kind);
  body.set("clientKey", item.clientKey);
  body.set("capturedAt", item.capturedAt);
  if (item.corrects) body.set("corrects", item.corrects);
  for (const [k, v] of Object.entries(item.fields)) if (k !== "corrects") body.set(k, v);
  item.photos.forEach((p, i) => body.append("evidence", new File([p], `photo-${i + 1}.jpg`, { type: "image/jpeg" })));
  return body;
}

export async function sendOne(item: QueuedEvent, fetchImpl: typeof fetch = fetch): Promise<Outcome> {
  let response: Response;
  try {
    // manual: the producer area answers a lost session with a redirect to /login, not JSON.
    response = await fetchImpl(`/producer/batches/${encodeURIComponent(item.batchId)}/events/sync`, {
      method: "POST",
      body: syncBody(item),
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json" },
    });
  } catch {
    return { kind: "retry" };
  }
  const type = response.headers.get("content-type");
  const body = type?.includes("application/json") ? ((await response.json().catch(() => null)) as SyncAnswer | null) : null;
  return outcomeOf(response.type === "opaqueredirect" ? 0 : response.status, type, body, response.redirected);
}

/** Records an outcome on the item. */
export async function applyOutcome(item: QueuedEvent, outcome: Outcome): Promise<void> {
  if (outcome.kind === "sent")
    await updateQueued(item.seq!, {
      status: "sent",
      eventId: outcome.eventId,
      sentAt: new Date().toISOString(),
      reason: undefined,
      message: undefined,
      fieldErrors: undefined,
    });
  else if (outcome.kind === "failed")
    await updateQueued(item.seq!, { status: "failed", reason: outcome.reason, message: outcome.message, fieldErrors: outcome.fieldErrors });
  else if (outcome.kind === "login") await updateQueued(item.seq!, { status: "login" });
  else await updateQueued(item.seq!, { status: "pending" });
}

export type SendReport = { sent: number; failed: number; left: number; stopped: "done" | "offline" | "login" };

/**
 * Sends every pending item, oldest first. One sender at a time across the pages and the
 * worker (Web Locks); a network failure or a lost session stops the run so the order holds.
 */
export async function sendQueue(onProgress?: (done: number, total: number) => void): Promise<SendReport> {
  const run = async (): Promise<SendReport> => {
    const todo = sendOrder(await allQueued());
    const report: SendReport = { sent: 0, failed: 0, left: todo.length, stopped: "done" };
    onProgress?.(0, todo.length);
    for (const [i, queued] of todo.entries()) {
      const item = await findQueued(queued.clientKey); // discarded or corrected meanwhile?
      if (!item || !(item.status === "pending" || item.status === "sending" || item.status === "login")) continue;
      await updateQueued(item.seq!, { status: "sending" });
      const outcome = await sendOne(item);
      await applyOutcome(item, outcome);
      if (outcome.kind === "retry" || outcome.kind === "login") {
        report.stopped = outcome.kind === "retry" ? "offline" : "login";
        return report;
      }
      if (outcome.kind === "sent") report.sent++;
      else report.failed++;
      report.left = todo.length - i - 1;
      onProgress?.(i + 1, todo.length);
    }
    return report;
  };
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? await locks.request(SYNC_TAG, run) : run();
}
