import { z } from "zod";
import { optionalText, parsedText, requiredText, wholeNumber } from "~/lib/fields";
import { parseVnDateTime } from "~/lib/time";
import { EVENT_FORMS, MAX_SOURCES, type FormEventKind, type KdeField } from "./event-kinds";

// The event form's field rules, importable in the browser: the one definition the server
// applies (events.server.ts re-exports it as eventSchema) and the phone checks a form saved
// with no signal with (app/pwa/check.ts).

function fieldSchema(f: KdeField) {
  if (f.type === "int") return f.required ? wholeNumber(0, f.max ?? 1e9) : wholeNumber(0, f.max ?? 1e9).optional().or(z.literal("").transform(() => undefined));
  const max = f.max ?? (f.type === "longtext" ? 1000 : 200);
  return f.required ? requiredText(max) : optionalText(max);
}

// zod runs the refinement after a failed parse too (with no date): only a date is compared.
const occurredAtField = parsedText(parseVnDateTime, "error.badDate", 20).refine((d) => !(d instanceof Date) || d.getTime() <= Date.now() + 3600_000, "error.dateInFuture");

export function eventFieldSchema(kind: FormEventKind) {
  const kde: Record<string, z.ZodTypeAny> = {};
  for (const f of EVENT_FORMS[kind] as readonly KdeField[]) kde[f.name] = fieldSchema(f);
  const sources: Record<string, z.ZodTypeAny> = {};
  if (kind === "PROCESSING") {
    for (let i = 1; i <= MAX_SOURCES; i++) {
      sources[`source${i}`] = z.string().max(40).optional().transform((v) => (v ? v : undefined));
      sources[`sourceQty${i}`] = z.string().optional().transform((v) => (v ? v : undefined)).pipe(wholeNumber(1, 100_000_000).optional());
    }
  }
  return z
    .object({
      occurredAt: occurredAtField,
      place: optionalText(200),
      note: optionalText(1000),
      corrects: z.string().max(40).optional().transform((v) => (v ? v : undefined)),
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
