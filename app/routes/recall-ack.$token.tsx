import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { acknowledgeRecall } from "~/domain/inspection/recalls.server";
import { Page } from "~/components/layout";
import { useT } from "~/i18n/use-t";

// The link in a recall message: opening it records that the buyer got the notice.
export const meta: MetaFunction = () => [{ title: "Thu hồi sản phẩm · ocop-trace" }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  return { recall: await acknowledgeRecall(params.token ?? "") };
}

export default function RecallAck() {
  const t = useT();
  const { recall } = useLoaderData<typeof loader>();
  if (!recall) return <Page title={t("recall.ackUnknown")}>{null}</Page>;
  return (
    <Page title={t("recall.ackTitle")}>
      <p className="rounded-md border-2 border-red-700 bg-red-50 p-3 text-red-900" role="alert">
        {t("recall.ackBody", { product: recall.batch.product.name, lot: recall.batch.lotCode, instructions: recall.instructions })}
      </p>
    </Page>
  );
}
