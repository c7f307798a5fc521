import type { LoaderFunctionArgs } from "@remix-run/node";
import { catalogAnswer } from "~/web/open-data.server";

// DCAT-AP catalog of the open datasets as JSON-LD.
export const loader = ({ request }: LoaderFunctionArgs) => catalogAnswer(request, "dcat-ap");
