import { apiJson } from "~/web/public-api.server";
import { openApiDocument } from "~/domain/api/openapi";
import { appUrl } from "~/lib/app-url.server";

export const loader = () => apiJson(openApiDocument(appUrl()));
