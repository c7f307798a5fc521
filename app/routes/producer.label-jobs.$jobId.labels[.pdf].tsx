import type { LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "~/i18n/translate";
import { getLocale } from "~/i18n/locale.server";
import { notFound, requireProducerMember } from "~/web/auth.server";
import { findLabelJobOfProducer, readLabelPdfStream } from "~/domain/trace/label-jobs.server";
import { isBlockedLot } from "~/domain/orders/order-state";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const job = await findLabelJobOfProducer(producer.id, params.jobId ?? "");
  // Labels of a lot held or recalled after they were made are not handed out while it is.
  if (job && isBlockedLot(job.batch.status))
    throw new Response(translator(await getLocale(request))("error.batchClosed"), {
      status: 409,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  const pdf = job?.status === "DONE" ? await readLabelPdfStream(job.id) : null;
  if (!job || !pdf) throw notFound();
  // Streamed out chunk by chunk from the database: a sheet of thousands of labels is never one Buffer.
  return new Response(pdf.stream, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.size),
      "Content-Disposition": `attachment; filename="tem-${job.batch.lotCode.replace(/[^A-Z0-9-]/gi, "_")}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
