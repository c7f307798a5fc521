import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { actingCookie, forbidden, requireRole } from "~/web/auth.server";
import { householdsOfHelper, isHelperOf } from "~/domain/identity/helper-membership.server";
import { Page, Card } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";
import { formText } from "~/domain/input/fields";

export async function loader({ request }: LoaderFunctionArgs) {
  const helper = await requireRole(request, "HELPER");
  return { households: await householdsOfHelper(helper.id) };
}

/** "Work for this household": only for households that list this helper. */
export async function action({ request }: ActionFunctionArgs) {
  const helper = await requireRole(request, "HELPER");
  const producerId = formText(await request.formData(), "producerId");
  if (!(await isHelperOf(helper.id, producerId))) throw forbidden();
  return redirect("/producer", { headers: { "Set-Cookie": await actingCookie().serialize(producerId) } });
}

export default function HelperHome() {
  const t = useT();
  const locale = useLocale();
  const { households } = useLoaderData<typeof loader>();
  return (
    <Page title={t("helper.title")}>
      <p className="mb-4">{t("helper.lead")}</p>
      <Link
        to="/helper/households/new"
        className="mb-4 inline-block rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline"
      >
        {t("helper.onboard")}
      </Link>
      {households.length === 0 ? <p>{t("helper.none")}</p> : null}
      <ul>
        {households.map((h) => (
          <li key={h.id}>
            <Card>
              <p className="font-semibold">{h.name}</p>
              <p className="text-sm text-stone-600">
                {t("helper.consentBy", {
                  name: h.consentHolderName ?? "",
                  phone: h.consentPhone ?? "",
                  date: h.consentAt ? formatDate(locale, h.consentAt) : "",
                })}{" "}
                · {t(`producerStatus.${h.status}`)}
              </p>
              <p className="mt-2 text-sm">
                <Link to={`/helper/households/${h.id}/claim`} aria-label={`${t("claimCard.open")}: ${h.name}`}>
                  {t("claimCard.open")}
                </Link>
              </p>
              <Form method="post" className="mt-2">
                <input type="hidden" name="producerId" value={h.id} />
                <button
                  type="submit"
                  className="rounded-md border border-brand-700 px-3 py-2 font-semibold"
                  aria-label={`${t("helper.actFor")} ${h.name}`}
                >
                  {t("helper.actFor")}
                </button>
              </Form>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
