import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { apiError, apiJson, listProductsJson } from "~/web/public-api.server";

const query = z.object({
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  group: z.coerce.number().int().min(1).max(6).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return apiError(400, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return apiJson(await listProductsJson(parsed.data));
}
