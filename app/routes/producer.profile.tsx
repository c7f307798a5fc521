import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/domain/identity/auth.server";
import { createProducerProfile, getProducerOfUser, producerProfileSchema } from "~/domain/catalog/producer.server";
import { describeLocation, listProvinces, wardsOfChosenProvince } from "~/domain/address/address.server";
import { formToObject, parseForm } from "~/lib/form";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton } from "~/components/form-fields";
import { ProducerProfileFields } from "~/components/producer-profile-fields";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "PRODUCER");
  const producer = await getProducerOfUser(user.id);
  return {
    provinces: listProvinces(),
    producer: producer ? { ...producer, location: describeLocation(producer.wardCode, producer.provinceCode) } : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "PRODUCER");
  const form = await request.formData();
  const values = formToObject(form);
  const wards = wardsOfChosenProvince(values);
  // "Load wards" submits the form without saving, so the page works with JavaScript off.
  if (form.get("intent") === "loadWards") return data({ values, wards, fieldErrors: {} as Record<string, string>, formError: undefined });
  const parsed = parseForm(producerProfileSchema, form);
  if (!parsed.ok) return data({ values, wards, fieldErrors: parsed.fieldErrors, formError: undefined }, { status: 400 });
  const result = await createProducerProfile(user.id, parsed.data);
  if (!result.ok) return data({ values, wards, fieldErrors: {} as Record<string, string>, formError: result.error }, { status: 409 });
  return redirect("/producer");
}

export default function ProducerProfile() {
  const t = useT();
  const { provinces, producer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") !== "loadWards";
  if (producer) {
    return (
      <Page title={t("profile.title")}>
        <Card>
          <p className="font-semibold">{producer.name}</p>
          <p>{t(`producerType.${producer.type}`)}</p>
          <p>
            {producer.street}, {producer.location.ward}, {producer.location.province}
          </p>
          <p className="mt-2">
            {t("profile.status")}: <strong>{t(`producerStatus.${producer.status}`)}</strong>
          </p>
        </Card>
      </Page>
    );
  }
  const values: Record<string, string> = actionData?.values ?? {};
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const wards = actionData?.wards ?? [];
  return (
    <Page title={t("profile.createTitle")}>
      <p className="mb-4">{t("profile.createLead")}</p>
      <Card>
        <FormError error={actionData?.formError} />
        <Form method="post" noValidate>
          <ProducerProfileFields provinces={provinces} wards={wards} values={values} errors={errors} />
          <SubmitButton name="intent" value="save" busy={busy}>
            {busy ? t("common.saving") : t("profile.submit")}
          </SubmitButton>
        </Form>
      </Card>
    </Page>
  );
}
