import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError, apiJson, productJsonById } from "~/web/public-api.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const product = await productJsonById(params.id ?? "");
  return product ? apiJson(product) : apiError(404, "unknown product");
}
