import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { acknowledgeRecall, findRecallNotice } from "~/domain/inspection/recalls.server";
import { Page } from "~/components/layout";
import { SubmitButton } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";

// The link in a recall message. Chat apps and mail scanners open links to preview them, so
// opening it (GET) only shows the recall; the buyer's button (POST) records that they got it.
export const meta: MetaFunction = () => [{ title: "Thu hồi sản phẩm · ocop-trace" }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const notice = await findRecallNotice(params.token ?? "");
  return notice ? data(notice) : data({ recall: null, acknowledged: false }, { status: 404 });
}

export async function action({ params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  if (!(await acknowledgeRecall(token))) throw new Response("Not Found", { status: 404 });
  return redirect(`/recall-ack/${encodeURIComponent(token)}`, 303);
}

export default function RecallAck() {
  const t = useT();
  const { recall, acknowledged } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  if (!recall) return <Page title={t("recall.ackUnknown")}>{null}</Page>;
  return (
    <Page title={t(acknowledged ? "recall.ackTitle" : "recall.ackNoticeTitle")}>
      <p className="rounded-md border-2 border-red-700 bg-red-50 p-3 text-red-900" role="alert">
        {t("recall.ackBody", { product: recall.batch.product.name, lot: recall.batch.lotCode, instructions: recall.instructions })}
      </p>
      {acknowledged ? null : (
        <Form method="post" className="mt-4">
          <SubmitButton busy={busy}>{t("recall.ackButton")}</SubmitButton>
        </Form>
      )}
    </Page>
  );
}
