import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { forbidden, notFound, requireUser } from "~/domain/identity/auth.server";
import { readUpload } from "~/domain/files/uploads.server";

// The scanned certificate: for the producer's members, admins and inspectors.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cert = await prisma.ocopCertificate.findUnique({
    where: { id: params.certificateId ?? "" },
    select: { fileKey: true, fileMimeType: true, product: { select: { producer: { select: { members: { select: { userId: true } } } } } } },
  });
  if (!cert?.fileKey) throw notFound();
  const isMember = cert.product.producer.members.some((m) => m.userId === user.id);
  if (!isMember && !user.roles.some((r) => r === "ADMIN" || r === "INSPECTOR")) throw forbidden();
  const file = await readUpload(cert.fileKey);
  if (!file) throw notFound();
  return new Response(file.bytes, {
    headers: { "Content-Type": cert.fileMimeType ?? "application/octet-stream", "Content-Disposition": "inline", "Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff" },
  });
}
