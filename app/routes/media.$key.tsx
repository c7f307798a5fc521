import type { LoaderFunctionArgs } from "@remix-run/node";
import { readPublicImage, variantMimeType } from "~/domain/files/uploads.server";
import { notFound } from "~/web/auth.server";

// Public images (product photos, event evidence) in their phone-sized WebP variants (product
// photos also AVIF), without EXIF. Only a file public by its owner record is served: a key alone
// opens nothing (a certificate scan is read at /certificates/{id}/file, by those allowed to).
// Names are random and contents never change, so they cache for a year.
export async function loader({ params }: LoaderFunctionArgs) {
  const key = params.key ?? "";
  const file = await readPublicImage(key);
  if (!file) throw notFound();
  return new Response(file.bytes, {
    headers: {
      "Content-Type": variantMimeType(key),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
