import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { requireRole } from "~/domain/identity/auth.server";
import { createProducerProfile, getProducerOfUser, producerProfileSchema } from "~/domain/catalog/producer.server";
import { PRODUCER_TYPES } from "~/domain/catalog/ocop";
import { describeLocation, findProvince, listProvinces, listWards } from "~/domain/address/address.server";
import { formToObject, parseForm } from "~/lib/form";
import { Page, Card } from "~/components/layout";
import { FormError, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/form-fields";
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
  const wards = findProvince(values.provinceCode ?? "") ? listWards(values.provinceCode!) : [];
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
  const submit = useSubmit();
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
          <SelectField
            name="type"
            label={t("profile.type")}
            defaultValue={values.type ?? "HOUSEHOLD"}
            error={errors.type}
            options={PRODUCER_TYPES.map((v) => ({ value: v, label: t(`producerType.${v}`) }))}
          />
          <TextField name="name" label={t("profile.name")} hint={t("profile.nameHint")} defaultValue={values.name} error={errors.name} maxLength={150} required />
          <TextField
            name="registrationNumber"
            label={t("profile.registrationNumber")}
            hint={t("profile.registrationHint")}
            defaultValue={values.registrationNumber}
            error={errors.registrationNumber}
            maxLength={50}
          />
          <SelectField
            name="provinceCode"
            label={t("address.province")}
            placeholder={t("address.chooseProvince")}
            defaultValue={values.provinceCode ?? ""}
            error={errors.provinceCode}
            options={provinces.map((p) => ({ value: p.code, label: p.name }))}
            onChange={(e) => {
              const fd = new FormData(e.currentTarget.form!);
              fd.set("intent", "loadWards");
              submit(fd, { method: "post", replace: true, preventScrollReset: true });
            }}
          />
          <div className="-mt-2 mb-4">
            <button type="submit" name="intent" value="loadWards" className="text-sm underline" formNoValidate>
              {t("address.loadWards")}
            </button>
          </div>
          <SelectField
            key={values.provinceCode ?? "none"}
            name="wardCode"
            label={t("address.ward")}
            placeholder={wards.length ? t("address.chooseWard") : t("address.chooseProvinceFirst")}
            defaultValue={values.wardCode ?? ""}
            error={errors.wardCode}
            options={wards.map((w) => ({ value: w.code, label: w.name }))}
          />
          <TextField name="street" label={t("address.street")} hint={t("address.streetHint")} defaultValue={values.street} error={errors.street} maxLength={200} required />
          <TextAreaField name="story" label={t("profile.story")} hint={t("profile.storyHint")} defaultValue={values.story} error={errors.story} maxLength={2000} />
          <SubmitButton name="intent" value="save" busy={busy}>
            {busy ? t("common.saving") : t("profile.submit")}
          </SubmitButton>
        </Form>
      </Card>
    </Page>
  );
}
