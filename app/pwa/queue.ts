import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { FormEventKind } from "~/domain/trace/event-kinds";

// Events saved on the phone and not yet accepted by the server, in IndexedDB (through
// `idb`) so a closed tab or a restarted phone loses nothing. Used by the pages and by the
// service worker (Background Sync), which share this database.

export type QueueStatus = "pending" | "sending" | "sent" | "failed" | "login";

export type QueuedEvent = {
  /** Insertion order: the queue is sent oldest first. */
  seq?: number;
  /** The idempotency key (UUID v4) the server records once per event. */
  clientKey: string;
  batchId: string;
  kind: FormEventKind;
  corrects?: string;
  /** The form's fields as typed (occurredAt is "YYYY-MM-DDTHH:mm", Vietnam time). */
  fields: Record<string, string>;
  /** Evidence photos, already resized on the phone (JPEG, ≤ 1600 px). */
  photos: Blob[];
  /** The phone's clock when the producer pressed save (ISO 8601, Z). */
  capturedAt: string;
  status: QueueStatus;
  /** Why it failed: the server's i18n key and its Vietnamese text. */
  reason?: string;
  message?: string;
  fieldErrors?: Record<string, string>;
  eventId?: string;
  sentAt?: string;
};

interface QueueDb extends DBSchema {
  events: { key: number; value: QueuedEvent; indexes: { clientKey: string; batchId: string } };
}

const DB_NAME = "ocop-offline";
/** BroadcastChannel on which every change is announced (pages redraw, the worker sends). */
export const QUEUE_CHANNEL = "ocop-queue";

let opened: Promise<IDBPDatabase<QueueDb>> | null = null;
function db() {
  opened ??= openDB<QueueDb>(DB_NAME, 1, {
    upgrade(d) {
      const store = d.createObjectStore("events", { keyPath: "seq", autoIncrement: true });
      store.createIndex("clientKey", "clientKey", { unique: true });
      store.createIndex("batchId", "batchId");
    },
  });
  return opened;
}

function announce() {
  if (typeof BroadcastChannel === "undefined") return;
  const ch = new BroadcastChannel(QUEUE_CHANNEL);
  ch.postMessage({ type: "changed" });
  ch.close();
}

/** The items to send now, oldest first: pending ones (and "sending" ones a closed tab left half-done; the key makes a resend safe). */
export function sendOrder(items: QueuedEvent[]): QueuedEvent[] {
  return items
    .filter((i) => i.status === "pending" || i.status === "sending" || i.status === "login")
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

export async function enqueue(item: Omit<QueuedEvent, "seq" | "status">): Promise<QueuedEvent> {
  const d = await db();
  const value: QueuedEvent = { ...item, status: "pending" };
  value.seq = await d.add("events", value);
  announce();
  return value;
}

export async function allQueued(): Promise<QueuedEvent[]> {
  return (await db()).getAll("events");
}

export async function queuedForBatch(batchId: string): Promise<QueuedEvent[]> {
  return (await db()).getAllFromIndex("events", "batchId", batchId);
}

export async function findQueued(clientKey: string): Promise<QueuedEvent | undefined> {
  return (await db()).getFromIndex("events", "clientKey", clientKey);
}

export async function updateQueued(seq: number, patch: Partial<QueuedEvent>): Promise<void> {
  const d = await db();
  const tx = d.transaction("events", "readwrite");
  const current = await tx.store.get(seq);
  if (current) await tx.store.put({ ...current, ...patch, seq });
  await tx.done;
  announce();
}

export async function removeQueued(seq: number): Promise<void> {
  await (await db()).delete("events", seq);
  announce();
}

/** Empties the queue (logging out on a shared phone: the next person must not see or send these). */
export async function clearQueue(): Promise<void> {
  await (await db()).clear("events");
  announce();
}

/** Drops sent items the server's page already shows (their event is in `shownEventIds`). */
export async function forgetShown(shownEventIds: Set<string>): Promise<void> {
  const d = await db();
  let changed = false;
  for (const item of await d.getAll("events")) {
    if (item.status === "sent" && item.eventId && shownEventIds.has(item.eventId)) {
      await d.delete("events", item.seq!);
      changed = true;
    }
  }
  if (changed) announce();
}
