import type { LoaderFunctionArgs } from "@remix-run/node";
import { catalogAnswer } from "~/web/open-data.server";

// DCAT-US 3.0 catalog of the open datasets, at the conventional /data.json.
export const loader = ({ request }: LoaderFunctionArgs) => catalogAnswer(request, "dcat-us");
