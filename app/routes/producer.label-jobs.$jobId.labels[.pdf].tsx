import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireProducerMember } from "~/domain/identity/auth.server";
import { findLabelJobOfProducer, readLabelPdf } from "~/domain/trace/label-jobs.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const job = await findLabelJobOfProducer(producer.id, params.jobId ?? "");
  const pdf = job?.status === "DONE" ? await readLabelPdf(job.id) : null;
  if (!job || !pdf) throw notFound();
  return new Response(pdf, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="tem-${job.batch.lotCode.replace(/[^A-Z0-9-]/gi, "_")}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
