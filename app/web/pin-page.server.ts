import { z } from "zod";
import { pinResultDocument, traceNotFound } from "~/web/trace-document.server";
import { pinTarget, submitPin, type PinTarget } from "~/domain/trace/pin.server";
import { clientIp } from "./client-address.server";
import { holderOf } from "./held-unit.server";

// The scratch-PIN form of the trace page posts here (/t/{code}/pin or the unit's GS1 path
// + /pin). Its own route, so the trace page itself stays a cached, read-only page; the
// answer is a small document that is never cached.

const pinSchema = z.object({
  pin: z.string().max(20),
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

/** `back` is the path the visitor reached the unit by: the answer links there, nowhere else. */
export async function answerPin(request: Request, code: PinTarget | null, back: string): Promise<Response> {
  const target = pinTarget(code);
  // A code with no PIN (or none at all) answers exactly like an unknown code.
  if (!target) return traceNotFound(request);
  const parsed = pinSchema.safeParse(Object.fromEntries(await request.formData()));
  const result = parsed.success
    ? await submitPin(
        { holder: await holderOf(request, target.id), clientAddress: clientIp(request) },
        target,
        parsed.data.pin,
        parsed.data.province ?? null,
      )
    : ({ kind: "wrong" } as const);
  return pinResultDocument(request, result, back);
}
