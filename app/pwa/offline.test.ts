import { describe, expect, it } from "vitest";
import { eventFieldSchema as eventSchema } from "~/domain/trace/event-schema";
import { FORM_EVENT_KINDS } from "~/domain/trace/event-kinds";
import { phiConflict } from "~/domain/trace/phi";
import { parseSubmission } from "~/lib/submission";
import { toVnDateTimeInput } from "~/lib/time";
import { checkEventForm } from "./check";
import { fitWithin } from "./photos";
import { sendOrder, type QueuedEvent } from "./queue";
import { outcomeOf, syncBody } from "./send";
import { dataCacheKey, isAppPath, warmUrls } from "./scope";

const day = 86_400_000;
const item = (seq: number, status: QueuedEvent["status"], extra: Partial<QueuedEvent> = {}): QueuedEvent => ({
  seq,
  clientKey: `k${seq}`,
  batchId: "b1",
  kind: "HARVESTING",
  fields: { occurredAt: "2026-11-20T07:00", quantity: "10", unit: "kg" },
  photos: [],
  capturedAt: "2026-11-20T00:00:00.000Z",
  status,
  ...extra,
});

describe("queue order", () => {
  it("sends pending items oldest first and leaves failed and sent ones alone", () => {
    const order = sendOrder([item(5, "pending"), item(2, "failed"), item(3, "sent"), item(1, "sending"), item(4, "login")]);
    expect(order.map((i) => i.seq)).toEqual([1, 4, 5]);
  });
});

describe("photo size on the phone", () => {
  it("fits the longer side into 1600 px, keeps the aspect, never enlarges", () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3000, 4000)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(1600, 900)).toEqual({ width: 1600, height: 900 });
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
    expect(fitWithin(10000, 10)).toEqual({ width: 1600, height: 2 });
    expect(() => fitWithin(0, 10)).toThrow();
  });
});

describe("pre-harvest interval on the phone", () => {
  const applied = new Date("2026-11-01T00:00:00Z");
  const events = [
    {
      id: "a",
      kind: "INPUT_APPLICATION",
      occurredAt: applied,
      data: JSON.stringify({ inputName: "Abamectin", phiDays: 7 }),
      correctsId: null,
    },
    {
      id: "b",
      kind: "INPUT_APPLICATION",
      occurredAt: new Date(applied.getTime() + 2 * day),
      data: JSON.stringify({ inputName: "Đồng", phiDays: 3 }),
      correctsId: null,
    },
    { id: "c", kind: "PLANTING", occurredAt: new Date(applied.getTime() - 30 * day), data: "{}", correctsId: null },
  ];
  const cases = [-1, 0, 1, 4, 4.9, 5, 6.99, 7, 8].map((d) => new Date(applied.getTime() + d * day));
  it("finds the input whose interval ends last, corrections included", () => {
    const corrected = [
      ...events,
      {
        id: "d",
        kind: "INPUT_APPLICATION",
        occurredAt: applied,
        data: JSON.stringify({ inputName: "Abamectin", phiDays: 1 }),
        correctsId: "a",
      },
    ];
    // Abamectin: 7 days from day 0 (corrected: 1 day); Đồng: 3 days from day 2 (safe from day 5).
    expect(cases.map((at) => phiConflict(events, at)?.inputName ?? null)).toEqual([
      null,
      "Abamectin",
      "Abamectin",
      "Abamectin",
      "Abamectin",
      "Abamectin",
      "Abamectin",
      null,
      null,
    ]);
    expect(cases.map((at) => phiConflict(corrected, at)?.inputName ?? null)).toEqual([
      null,
      "Abamectin",
      null,
      "Đồng",
      "Đồng",
      null,
      null,
      null,
      null,
    ]);
    expect(cases.map((at) => phiConflict([], at))).toEqual(cases.map(() => null));
    expect(phiConflict(events, cases[4]!)?.inputName).toBe("Abamectin");
    expect(phiConflict(corrected, cases[4]!)?.inputName).toBe("Đồng");
  });

  it("asks for a reason before queueing a harvest inside the interval, from queued inputs too", () => {
    const fields = { occurredAt: toVnDateTimeInput(new Date()), quantity: "5", unit: "kg" };
    const recent = {
      id: "queued:x",
      kind: "INPUT_APPLICATION",
      occurredAt: new Date(Date.now() - day),
      data: { inputName: "Abamectin", phiDays: "7" },
      correctsId: null,
    };
    const errors = checkEventForm({ kind: "HARVESTING", fields, photoCount: 1, known: [recent] });
    expect(errors?.phiReason).toMatch(/^error\.phiNotPassed\|\d{2}\/\d{2}\/\d{4}$/);
    expect(
      checkEventForm({ kind: "HARVESTING", fields: { ...fields, phiReason: "Mưa bão, phải hái sớm" }, photoCount: 1, known: [recent] }),
    ).toBeNull();
    expect(checkEventForm({ kind: "HARVESTING", fields, photoCount: 1, known: [] })).toBeNull();
    expect(checkEventForm({ kind: "HARVESTING", fields, photoCount: 4, known: [] })?.evidence).toBe("error.tooManyFiles|3");
  });
});

describe("field rules on the phone", () => {
  const forms: Record<string, string>[] = [
    {},
    { occurredAt: "2026-11-20T07:00" },
    { occurredAt: "2026-02-30T07:00", quantity: "10", unit: "kg" },
    { occurredAt: "2099-01-01T07:00", quantity: "10", unit: "kg" },
    {
      occurredAt: "2026-11-20T07:00",
      quantity: "1.500",
      unit: "kg",
      variety: "Chè",
      area: "1 ha",
      inputName: "A",
      activeIngredient: "B",
      dose: "C",
      phiDays: "7",
    },
    { occurredAt: "2026-11-20T07:00", quantity: "-3", unit: "", phiDays: "400", method: "x".repeat(201) },
    { occurredAt: "2026-11-20T07:00", source1: "abc", sourceQty2: "5", method: "Sao" },
    { occurredAt: "2026-11-20T07:00", packageType: "Hộp", quantity: "100", storage: "Kho", recipient: "A", sender: "B", note: "a\u202Eb" },
  ];
  it("checks every kind like the online form: required fields, numbers, dates (an impossible date is badDate, never a crash)", () => {
    const expected: Record<string, Record<string, string> | null> = {};
    for (const kind of FORM_EVENT_KINDS) {
      for (const [i, f] of forms.entries()) {
        const fd = new FormData();
        for (const [k, v] of Object.entries(f)) fd.set(k, v);
        const parsed = parseSubmission(eventSchema(kind), fd);
        expected[`${kind} ${i}`] = parsed.ok ? null : parsed.fieldErrors;
      }
    }
    expect(expected["HARVESTING 0"]).toMatchObject({ occurredAt: "error.required", quantity: "error.required" });
    expect(expected["HARVESTING 2"]).toEqual({ occurredAt: "error.badDate" });
    expect(expected["HARVESTING 3"]).toEqual({ occurredAt: "error.dateInFuture" });
    expect(expected["HARVESTING 4"]).toBeNull();
    expect(expected["PROCESSING 6"]).toMatchObject({ sourceQty1: "error.required", source2: "error.chooseOne" });
    for (const kind of FORM_EVENT_KINDS) expect(expected[`${kind} 2`]?.occurredAt, kind).toBe("error.badDate");
  });
});

describe("sync answers", () => {
  it("reads created and duplicate as sent, 422/409 as failed with the server's text, 401/403/redirect as log in again, network and 5xx as retry", () => {
    const json = "application/json; charset=utf-8";
    expect(outcomeOf(201, json, { status: "created", eventId: "e1" })).toEqual({ kind: "sent", eventId: "e1", duplicate: false });
    expect(outcomeOf(200, json, { status: "duplicate", eventId: "e1" })).toEqual({ kind: "sent", eventId: "e1", duplicate: true });
    expect(
      outcomeOf(422, json, { status: "refused", reason: "error.batchRecalled", message: "Lô đã bị thu hồi", fieldErrors: {} }),
    ).toEqual({ kind: "failed", reason: "error.batchRecalled", message: "Lô đã bị thu hồi", fieldErrors: {} });
    expect(outcomeOf(409, json, { status: "refused", reason: "error.clientKeyUsed", message: "m" })).toMatchObject({
      kind: "failed",
      reason: "error.clientKeyUsed",
    });
    expect(outcomeOf(401, null, null)).toEqual({ kind: "login" });
    expect(outcomeOf(403, "text/html", null)).toEqual({ kind: "login" });
    expect(outcomeOf(0, null, null)).toEqual({ kind: "login" });
    expect(outcomeOf(200, "text/html", null, true)).toEqual({ kind: "login" });
    expect(outcomeOf(404, "text/html", null)).toEqual({ kind: "failed", reason: "queue.batchGone" });
    expect(outcomeOf(503, "text/html", null)).toEqual({ kind: "retry" });
    expect(outcomeOf(200, "text/html", null)).toEqual({ kind: "retry" });
  });

  it("posts the online form's fields with kind, clientKey, capturedAt and the photos", async () => {
    const body = syncBody(
      item(1, "pending", { corrects: "ev0", photos: [new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: "image/jpeg" })] }),
    );
    expect(body.get("kind")).toBe("HARVESTING");
    expect(body.get("clientKey")).toBe("k1");
    expect(body.get("capturedAt")).toBe("2026-11-20T00:00:00.000Z");
    expect(body.get("corrects")).toBe("ev0");
    expect(body.get("occurredAt")).toBe("2026-11-20T07:00");
    const photo = body.get("evidence") as File;
    expect(photo.type).toBe("image/jpeg");
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 0xff]));
  });
});

describe("what the worker covers", () => {
  it("caches the producer area only, and data answers without _routes", () => {
    expect(["/producer", "/producer/", "/producer/batches/x", "/producer.data"].every(isAppPath)).toBe(true);
    expect(["/", "/t/ABC", "/products/1", "/producers", "/login"].some(isAppPath)).toBe(false);
    expect(dataCacheKey("https://a.vn/producer/batches/x.data?_routes=root%2Croutes%2Fp&b=2&a=1")).toBe(
      "https://a.vn/producer/batches/x.data?a=1&b=2",
    );
    expect(warmUrls("b1", ["HARVESTING"])).toEqual(["/producer/batches/b1", "/producer/batches/b1/events/new?kind=HARVESTING"]);
  });
});

describe("the lot's season on the phone", () => {
  it("an event dated years before the lot or before the product existed is refused with the server's field error", () => {
    const season = { producedAt: "2026-10-01T00:00:00.000Z", productCreatedAt: "2026-06-15T03:00:00.000Z" };
    const check = (occurredAt: string) =>
      checkEventForm({ kind: "PLANTING", fields: { occurredAt, variety: "Chè", area: "1 ha" }, photoCount: 0, known: [], season });
    expect(check("1900-01-01T07:00")).toEqual({ occurredAt: "error.beforeSeason|01/10/2024" });
    expect(check("2024-09-30T23:59")).toEqual({ occurredAt: "error.beforeSeason|01/10/2024" });
    expect(check("2024-10-01T00:00")).toBeNull();
    // The product registered after the lot's date: the season is counted from the registration.
    expect(
      checkEventForm({
        kind: "PLANTING",
        fields: { occurredAt: "2024-10-01T00:00", variety: "Chè", area: "1 ha" },
        photoCount: 0,
        known: [],
        season: { ...season, productCreatedAt: "2026-12-01T03:00:00.000Z" },
      }),
    ).toEqual({ occurredAt: "error.beforeSeason|01/12/2024" });
  });
});
