import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { normalizeTraceCode } from "~/domain/trace/code.server";
import { answerPin } from "~/web/pin-page.server";
import { traceNotFound } from "~/web/trace-document.server";

// A shopper's scratch PIN for the unit of /t/{code}.
async function findCode(raw: string | undefined) {
  const code = normalizeTraceCode(raw ?? "");
  return code
    ? prisma.traceCode.findUnique({ where: { code }, select: { id: true, code: true, kind: true, status: true, pinHash: true } })
    : null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const code = await findCode(params.code);
  return answerPin(request, code, `/t/${code?.code ?? ""}`);
}

// Opened by hand (or reloaded after an answer): back to the trace page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const code = await findCode(params.code);
  return code ? redirect(`/t/${code.code}`, 303) : traceNotFound(request);
}
