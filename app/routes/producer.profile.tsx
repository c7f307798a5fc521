import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { forbidden, requireProducerMember, requireRole } from "~/web/auth.server";
import { BANKS } from "~/domain/payments/banks";
import {
  bankAccountSchema,
  codSettingsSchema,
  createProducerProfile,
  getProducerOfUser,
  producerProfileSchema,
  setBankAccount,
  setCodMaxUnits,
} from "~/domain/catalog/producer.server";
import { contactPhoneSchema, setContactPhone } from "~/domain/catalog/producer-page.server";
import { describeLocation, listProvinces, wardsOfChosenProvince } from "~/domain/address/address.server";
import { submittedValues, parseSubmission } from "~/lib/submission";
import { Page, Card } from "~/components/layout";
import { FormError, SelectField, SubmitButton, TextField } from "~/components/form-fields";
import { CodLimitField, ProducerProfileFields } from "~/components/producer-profile-fields";
import { useT } from "~/i18n/use-t";
import { firstErrors, refillValues, useReplyForm } from "~/components/use-reply-form";

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
  if (form.get("intent") === "bank") {
    const { producer, membership } = await requireProducerMember(request);
    if (membership.role !== "OWNER") throw forbidden();
    const parsed = parseSubmission(bankAccountSchema, form);
    if (!parsed.ok)
      return data(
        { values: submittedValues(form), wards: [], fieldErrors: parsed.fieldErrors, formError: undefined, bankSaved: false },
        { status: 400 },
      );
    await setBankAccount(producer.id, parsed.data);
    return data({
      values: {} as Record<string, string>,
      wards: [],
      fieldErrors: {} as Record<string, string>,
      formError: undefined,
      bankSaved: true,
    });
  }
  // The public contact phone on the producer page: owner only, as the bank account.
  if (form.get("intent") === "contact") {
    const { producer, membership } = await requireProducerMember(request);
    if (membership.role !== "OWNER") throw forbidden();
    const parsed = parseSubmission(contactPhoneSchema, form);
    if (!parsed.ok)
      return data(
        { values: submittedValues(form), wards: [], fieldErrors: parsed.fieldErrors, formError: undefined, contactSaved: false },
        { status: 400 },
      );
    await setContactPhone(producer.id, parsed.data.contactPhone);
    return data({
      values: {} as Record<string, string>,
      wards: [],
      fieldErrors: {} as Record<string, string>,
      formError: undefined,
      contactSaved: true,
    });
  }
  // Cash on delivery: how many units one COD order may take (any member: a helper sets it with the household).
  if (form.get("intent") === "cod") {
    const { producer } = await requireProducerMember(request);
    const parsed = parseSubmission(codSettingsSchema, form);
    if (!parsed.ok)
      return data(
        { values: submittedValues(form), wards: [], fieldErrors: parsed.fieldErrors, formError: undefined, codSaved: false },
        { status: 400 },
      );
    await setCodMaxUnits(producer.id, parsed.data.codMaxUnits);
    return data({
      values: {} as Record<string, string>,
      wards: [],
      fieldErrors: {} as Record<string, string>,
      formError: undefined,
      codSaved: true,
    });
  }
  const values = submittedValues(form);
  const wards = wardsOfChosenProvince(values);
  // "Load wards" submits the form without saving, so the page works with JavaScript off.
  if (form.get("intent") === "loadWards") return data({ values, wards, fieldErrors: {} as Record<string, string>, formError: undefined });
  const parsed = parseSubmission(producerProfileSchema, form);
  if (!parsed.ok) return data({ values, wards, fieldErrors: parsed.fieldErrors, formError: undefined }, { status: 400 });
  const result = await createProducerProfile(user.id, parsed.data);
  if (!result.ok) return data({ values, wards, fieldErrors: {} as Record<string, string>, formError: result.error }, { status: 409 });
  return redirect("/producer");
}

export default function ProducerProfile() {
  const t = useT();
  const { provinces, producer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // Three forms, one reply: each reads its own fields from it.
  const bank = useReplyForm<"bankBin" | "bankAccountNumber" | "bankAccountName">();
  const cod = useReplyForm<"codMaxUnits">();
  const contact = useReplyForm<"contactPhone">();
  const profile = useReplyForm<"type" | "name" | "registrationNumber" | "provinceCode" | "wardCode" | "street" | "story">();
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
        <Card>
          <h2 className="text-lg font-semibold">{t("profile.bankTitle")}</h2>
          <p className="mb-3 text-sm text-stone-700">{t("profile.bankLead")}</p>
          {actionData && "bankSaved" in actionData && actionData.bankSaved ? (
            <p className="mb-3 rounded-md border border-brand-600 bg-brand-50 p-3" role="status">
              {t("profile.bankSaved")}
            </p>
          ) : null}
          <Form method="post" noValidate id={bank.form.id} onSubmit={bank.form.onSubmit}>
            <SelectField
              name="bankBin"
              label={t("profile.bankBin")}
              placeholder={t("common.choose")}
              defaultValue={bank.fields.bankBin.initialValue ?? producer.bankBin ?? ""}
              error={bank.fields.bankBin.errors?.[0]}
              options={BANKS.map((b) => ({ value: b.bin, label: b.name }))}
            />
            <TextField
              name="bankAccountNumber"
              label={t("profile.bankAccount")}
              inputMode="numeric"
              defaultValue={bank.fields.bankAccountNumber.initialValue ?? producer.bankAccountNumber ?? ""}
              error={bank.fields.bankAccountNumber.errors?.[0]}
              required
            />
            <TextField
              name="bankAccountName"
              label={t("profile.bankAccountName")}
              defaultValue={bank.fields.bankAccountName.initialValue ?? producer.bankAccountName ?? ""}
              error={bank.fields.bankAccountName.errors?.[0]}
              maxLength={100}
              required
            />
            <SubmitButton name="intent" value="bank" busy={busy}>
              {t("profile.bankSave")}
            </SubmitButton>
          </Form>
        </Card>
        <Card>
          <h2 className="text-lg font-semibold">{t("profile.contactTitle")}</h2>
          <p className="mb-3 text-sm text-stone-700">{t("profile.contactLead")}</p>
          {actionData && "contactSaved" in actionData && actionData.contactSaved ? (
            <p className="mb-3 rounded-md border border-brand-600 bg-brand-50 p-3" role="status">
              {t("profile.contactSaved")}
            </p>
          ) : null}
          <Form method="post" noValidate id={contact.form.id} onSubmit={contact.form.onSubmit}>
            <TextField
              name="contactPhone"
              label={t("profile.contactPhone")}
              type="tel"
              inputMode="tel"
              defaultValue={contact.fields.contactPhone.initialValue ?? producer.contactPhone ?? ""}
              error={contact.fields.contactPhone.errors?.[0]}
              maxLength={30}
            />
            <SubmitButton name="intent" value="contact" busy={busy}>
              {t("profile.contactSave")}
            </SubmitButton>
          </Form>
          <p className="mt-3 flex flex-wrap gap-4">
            <Link to="/producer/photos">{t("profile.photosTitle")}</Link>
            {producer.status === "APPROVED" ? <Link to={`/producers/${producer.id}`}>{t("profile.publicPage")}</Link> : null}
          </p>
        </Card>
        <Card>
          <h2 className="text-lg font-semibold">{t("profile.codTitle")}</h2>
          {actionData && "codSaved" in actionData && actionData.codSaved ? (
            <p className="mb-3 rounded-md border border-brand-600 bg-brand-50 p-3" role="status">
              {t("profile.codSaved")}
            </p>
          ) : null}
          <Form method="post" noValidate id={cod.form.id} onSubmit={cod.form.onSubmit}>
            <CodLimitField
              value={cod.fields.codMaxUnits.initialValue ?? String(producer.codMaxUnits)}
              error={cod.fields.codMaxUnits.errors?.[0]}
            />
            <SubmitButton name="intent" value="cod" busy={busy}>
              {t("profile.codSave")}
            </SubmitButton>
          </Form>
        </Card>
      </Page>
    );
  }
  const values = refillValues(profile.form.initialValue);
  const errors = firstErrors(profile.form.allErrors);
  const wards = actionData?.wards ?? [];
  return (
    <Page title={t("profile.createTitle")}>
      <p className="mb-4">{t("profile.createLead")}</p>
      <Card>
        <FormError error={profile.formError} />
        <Form method="post" noValidate id={profile.form.id} onSubmit={profile.form.onSubmit}>
          <ProducerProfileFields provinces={provinces} wards={wards} values={values} errors={errors} />
          <SubmitButton name="intent" value="save" busy={busy}>
            {busy ? t("common.saving") : t("profile.submit")}
          </SubmitButton>
        </Form>
      </Card>
    </Page>
  );
}
