import fs from "node:fs";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireProducerMember } from "~/domain/identity/auth.server";
import { findLabelJobOfProducer, labelJobFile } from "~/domain/trace/label-jobs.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const job = await findLabelJobOfProducer(producer.id, params.jobId ?? "");
  if (!job || job.status !== "DONE" || !fs.existsSync(labelJobFile(job.id))) throw notFound();
  const pdf = await fs.promises.readFile(labelJobFile(job.id));
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="tem-${job.batch.lotCode.replace(/[^A-Z0-9-]/gi, "_")}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
