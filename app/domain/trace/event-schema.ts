import { z } from "zod";
import { optionalText, parsedText, requiredText, wholeNumber } from "~/domain/input/fields";
import { addMonths, parseVnDateTime, toVnDateTimeInput, VN_OFFSET_MS } from "~/lib/time";
import { EVENT_FORMS, MAX_SOURCES, type FormEventKind, type KdeField } from "./event-kinds";
import { refusal, type Refused } from "~/i18n/refusal";

// The event form's field rules, importable in the browser: the one definition the server
// applies (events.server.ts re-exports it as eventSchema) and the phone checks a form saved
// with no signal with (app/pwa/check.ts).

function fieldSchema(f: KdeField) {
  if (f.type === "int")
    return f.required
      ? wholeNumber(0, f.max ?? 1e9)
      : wholeNumber(0, f.max ?? 1e9)
          .optional()
          .or(z.literal("").transform(() => undefined));
  const max = f.max ?? (f.type === "longtext" ? 1000 : 200);
  return f.required ? requiredText(max) : optionalText(max);
}

// zod runs the refinement after a failed parse too (with no date): only a date is compared.
const occurredAtField = parsedText(parseVnDateTime, "error.badDate", 20).refine(
  (d) => !(d instanceof Date) || d.getTime() <= Date.now() + 3600_000,
  "error.dateInFuture",
);

export function eventFieldSchema(kind: FormEventKind) {
  const kde: Record<string, z.ZodTypeAny> = {};
  for (const f of EVENT_FORMS[kind] as readonly KdeField[]) kde[f.name] = fieldSchema(f);
  const sources: Record<string, z.ZodTypeAny> = {};
  if (kind === "PROCESSING") {
    for (let i = 1; i <= MAX_SOURCES; i++) {
      sources[`source${i}`] = z
        .string()
        .max(40)
        .optional()
        .transform((v) => (v ? v : undefined));
      sources[`sourceQty${i}`] = z
        .string()
        .optional()
        .transform((v) => (v ? v : undefined))
        .pipe(wholeNumber(1, 100_000_000).optional());
    }
  }
  return z
    .object({
      occurredAt: occurredAtField,
      place: optionalText(200),
      note: optionalText(1000),
      corrects: z
        .string()
        .max(40)
        .optional()
        .transform((v) => (v ? v : undefined)),
      ...kde,
      ...sources,
    })
    .superRefine((v, ctx) => {
      for (let i = 1; i <= MAX_SOURCES; i++) {
        const id = (v as Record<string, unknown>)[`source${i}`];
        const qty = (v as Record<string, unknown>)[`sourceQty${i}`];
        if (id && !qty) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`sourceQty${i}`], message: "error.required" });
        if (!id && qty) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`source${i}`], message: "error.chooseOne" });
      }
    });
}

// An event's time must lie within its lot's season. The lower bound: 24 months before the later
// of the lot's production date and the day its product was registered here, from 00:00 Vietnam
// time. 24 months holds the longest season of the products on the platform (fish sauce ferments
// 12–18 months before bottling; coffee and fruit seasons, rice and tea are shorter), and a
// producer who joins mid-season can still enter the season's start. The product's registration
// is a server time: a lot dated 1900 opens no season in 1899. (The upper bound, "not in the
// future", is the field's own rule above.)
export const SEASON_MONTHS = 24;

/** What the season rule needs of a lot (ISO strings as a page carries them to the phone). */
export type LotSeason = { producedAt: Date | string; productCreatedAt: Date | string };

/** The earliest time an event of the lot may carry. */
export function seasonStart(lot: LotSeason): Date {
  const later = Math.max(new Date(lot.producedAt).getTime(), new Date(lot.productCreatedAt).getTime());
  const vnDay = toVnDateTimeInput(addMonths(new Date(later), -SEASON_MONTHS)).slice(0, 10);
  return new Date(Date.parse(`${vnDay}T00:00:00Z`) - VN_OFFSET_MS);
}

/**
 * The refusal "error.producedBeforeSeason" when a lot's production date lies before the first
 * season its product may have had here — the same bound as `seasonStart`, with the product's
 * registration as the later date — else null. A lot dated earlier would begin before its own season.
 */
export function productionDateError(producedAt: Date, productCreatedAt: Date): Refused | null {
  const start = seasonStart({ producedAt: productCreatedAt, productCreatedAt });
  if (producedAt.getTime() >= start.getTime()) return null;
  return refusal("error.producedBeforeSeason", { n: toVnDateTimeInput(start).slice(0, 10).split("-").reverse().join("/") });
}

/** The refusal "error.beforeSeason" (the season's first day, dd/mm/yyyy) when the event is dated before its lot's season, else null. */
export function seasonError(occurredAt: Date, lot: LotSeason): Refused | null {
  const start = seasonStart(lot);
  if (occurredAt.getTime() >= start.getTime()) return null;
  return refusal("error.beforeSeason", { n: toVnDateTimeInput(start).slice(0, 10).split("-").reverse().join("/") });
}
