import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/web/auth.server";
import { householdSchema, onboardHousehold } from "~/domain/identity/household-onboarding.server";
import { listProvinces, wardsOfChosenProvince } from "~/domain/address/address.server";
import { submittedValues, parseSubmission } from "~/lib/submission";
import { Page, Card } from "~/components/layout";
import { SubmitButton, TextField } from "~/components/form-fields";
import { ProducerProfileFields } from "~/components/producer-profile-fields";
import { useT } from "~/i18n/use-t";
import { firstErrors, refillValues, useReplyForm } from "~/components/use-reply-form";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "HELPER");
  return { provinces: listProvinces() };
}

type Reply = {
  values: Record<string, string>;
  wards: { code: string; name: string }[];
  fieldErrors: Record<string, string>;
  claimCode?: string;
  producerName?: string;
  producerId?: string;
};

export async function action({ request }: ActionFunctionArgs) {
  const helper = await requireRole(request, "HELPER");
  const form = await request.formData();
  const values = submittedValues(form);
  const wards = wardsOfChosenProvince(values);
  if (form.get("intent") === "loadWards") return data<Reply>({ values, wards, fieldErrors: {} });
  const parsed = parseSubmission(householdSchema, form);
  if (!parsed.ok) return data<Reply>({ values, wards, fieldErrors: parsed.fieldErrors }, { status: 400 });
  const result = await onboardHousehold(helper.id, parsed.data);
  if (!result.ok) return data<Reply>({ values, wards, fieldErrors: { [result.field]: result.error } }, { status: 409 });
  // The claim code is shown once, here, for the helper to hand to the household.
  return data<Reply>({
    values: {},
    wards: [],
    fieldErrors: {},
    claimCode: result.claimCode,
    producerName: parsed.data.name,
    producerId: result.producerId,
  });
}

export default function OnboardHousehold() {
  const t = useT();
  const { provinces } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { form } = useReplyForm<
    "headName" | "headPhone" | "consent" | "type" | "name" | "registrationNumber" | "provinceCode" | "wardCode" | "street" | "story"
  >();
  if (actionData?.claimCode) {
    return (
      <Page title={t("helper.doneTitle")}>
        <Card>
          <p className="mb-2">{t("helper.doneBody", { name: actionData.producerName ?? "" })}</p>
          <p className="mb-2 text-3xl font-bold tracking-widest" data-testid="claim-code">
            {actionData.claimCode}
          </p>
          <p className="mb-2 text-sm">{t("helper.claimHint")}</p>
          <p className="mb-3 text-sm">
            {t("helper.claimPageLink")} <Link to="/claim">/claim</Link>
          </p>
          {actionData.producerId ? (
            <Form method="post" action={`/helper/households/${actionData.producerId}/claim`} className="flex flex-wrap gap-2">
              <input type="hidden" name="code" value={actionData.claimCode} />
              <button type="submit" name="intent" value="card" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
                {t("claimCard.makeCard")}
              </button>
              <button
                type="submit"
                name="intent"
                value="sms"
                className="rounded-md border border-brand-700 px-4 py-2 font-semibold text-brand-700"
              >
                {t("claimCard.sendSms")}
              </button>
            </Form>
          ) : null}
        </Card>
        <Link to="/helper">← {t("helper.title")}</Link>
      </Page>
    );
  }
  const values = refillValues(form.initialValue);
  const errors = firstErrors(form.allErrors);
  return (
    <Page title={t("helper.onboard")}>
      <Card>
        <Form method="post" noValidate id={form.id} onSubmit={form.onSubmit}>
          <fieldset className="mb-4 rounded border border-stone-200 p-3">
            <legend className="px-1 font-semibold">{t("helper.consentTitle")}</legend>
            <TextField
              name="headName"
              label={t("helper.headName")}
              defaultValue={values.headName}
              error={errors.headName}
              maxLength={100}
            />
            <TextField
              name="headPhone"
              label={t("helper.headPhone")}
              inputMode="tel"
              defaultValue={values.headPhone}
              error={errors.headPhone}
            />
            <label className="flex items-start gap-2 font-normal">
              <input
                type="checkbox"
                name="consent"
                defaultChecked={values.consent === "on"}
                className="mt-1 w-auto"
                aria-invalid={errors.consent ? true : undefined}
              />
              {t("helper.consent")}
            </label>
            {errors.consent ? (
              <p className="mt-1 text-sm font-medium text-red-700" role="alert">
                {t(errors.consent)}
              </p>
            ) : null}
          </fieldset>
          <ProducerProfileFields provinces={provinces} wards={actionData?.wards ?? []} values={values} errors={errors} />
          <SubmitButton name="intent" value="save" busy={busy}>
            {busy ? t("common.saving") : t("helper.submit")}
          </SubmitButton>
        </Form>
      </Card>
    </Page>
  );
}
