import type { LoaderFunctionArgs } from "@remix-run/node";
import { datasetListAnswer } from "~/web/open-data.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => datasetListAnswer(request, params.dataset);
