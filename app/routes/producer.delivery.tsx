import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { forbidden, requireProducerMember } from "~/web/auth.server";
import { deliveryOf, deliverySettingsSchema, saveDeliverySettings, settingsAsFormValues } from "~/domain/delivery/settings.server";
import { listProvinces } from "~/domain/address/address.server";
import { parseSubmission } from "~/lib/submission";
import { Page } from "~/components/layout";
import { DeliverySettingsForm } from "~/components/delivery-settings-form";
import { useT } from "~/i18n/use-t";

export const meta: MetaFunction = () => [{ title: "Cách giao hàng · ocop-trace" }];

// The fee table is money the buyer pays: the owner or a member of the producer sets it, a helper does not.
async function requireManager(request: Request) {
  const ctx = await requireProducerMember(request);
  if (ctx.membership.role !== "OWNER" && ctx.membership.role !== "MEMBER") throw forbidden();
  return ctx;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { producer } = await requireManager(request);
  const saved = (await deliveryOf([producer.id])).get(producer.id);
  return { provinces: listProvinces(), values: settingsAsFormValues(saved) };
}

/** What the form posted, each name with all its values (a zone's provinces are many). */
function postedValues(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = key.endsWith("provinces") ? all : (all[all.length - 1] ?? "");
  }
  return out;
}

export async function action({ request }: ActionFunctionArgs) {
  const { producer } = await requireManager(request);
  const form = await request.formData();
  const parsed = parseSubmission(deliverySettingsSchema, form);
  if (!parsed.ok) return data({ saved: false, values: postedValues(form), fieldErrors: parsed.fieldErrors }, { status: 400 });
  await saveDeliverySettings(producer.id, parsed.data);
  return data({
    saved: true,
    values: settingsAsFormValues((await deliveryOf([producer.id])).get(producer.id)),
    fieldErrors: {},
  });
}

export default function ProducerDelivery() {
  const t = useT();
  const { provinces, values } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <Page title={t("delivery.settingsTitle")}>
      <p className="mb-3 text-sm text-stone-700">{t("delivery.settingsLead")}</p>
      {reply?.saved ? (
        <p className="mb-3 rounded-md border border-brand-600 bg-brand-50 p-3" role="status">
          {t("delivery.saved")}
        </p>
      ) : null}
      <DeliverySettingsForm provinces={provinces} values={reply?.values ?? values} errors={reply?.fieldErrors ?? {}} />
    </Page>
  );
}
