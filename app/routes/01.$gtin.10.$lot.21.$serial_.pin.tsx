import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { findGs1Unit, gs1UnitPath } from "~/domain/trace/gs1.server";
import { answerPin } from "~/web/pin-page.server";
import { traceNotFound } from "~/web/trace-document.server";

// A shopper's scratch PIN for the unit reached by its GS1 Digital Link path: answered
// there, so the page never hands out the unit's /t/ code.
export async function action({ request, params }: ActionFunctionArgs) {
  const unit = await findGs1Unit(params.gtin ?? "", params.lot ?? "", params.serial ?? "");
  return answerPin(request, unit, gs1UnitPath(params.gtin ?? "", params.lot ?? "", params.serial ?? ""));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const unit = await findGs1Unit(params.gtin ?? "", params.lot ?? "", params.serial ?? "");
  return unit ? redirect(gs1UnitPath(params.gtin ?? "", params.lot ?? "", params.serial ?? ""), 303) : traceNotFound(request);
}
