import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useActionData } from "@remix-run/react";
import { notFound, requireRole } from "~/web/auth.server";
import { listProducersForAdmin, producerDecisionSchema, setProducerStatus } from "~/domain/catalog/producer.server";
import { describeLocation } from "~/domain/address/address.server";
import { prisma } from "~/db.server";
import { grantHelperSchema, grantInspectorSchema, grantRole } from "~/domain/identity/role-grants.server";
import { appointOfficer, appointOfficerSchema } from "~/domain/catalog/certificate-verification.server";
import { listProvinces } from "~/domain/address/address.server";
import { parseSubmission } from "~/lib/submission";
import { Page, Card } from "~/components/layout";
import { FormError } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const producers = await listProducersForAdmin();
  const certificates = await prisma.ocopCertificate.findMany({
    where: { revokedAt: null },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      id: true,
      stars: true,
      decisionNumber: true,
      validUntil: true,
      verification: true,
      product: { select: { name: true, producer: { select: { name: true } } } },
    },
  });
  return {
    certificates,
    provinces: listProvinces(),
    producers: producers.map((p) => ({
      id: p.id,
      name: p.name,
      type: p.type,
      status: p.status,
      registrationNumber: p.registrationNumber,
      createdAt: p.createdAt,
      location: describeLocation(p.wardCode, p.provinceCode),
      productCount: p._count.products,
      contacts: p.members.map((m) => m.user.phone ?? m.user.email ?? "").filter(Boolean),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "ADMIN");
  const form = await request.formData();
  if (form.get("intent") === "grantHelper") {
    const parsed = parseSubmission(grantHelperSchema, form);
    if (!parsed.ok) return data({ error: "error.badIdentifier", granted: false }, { status: 400 });
    const r = await grantRole(parsed.data.identifier, "HELPER");
    return data({ error: r.ok ? undefined : r.error, granted: r.ok }, { status: r.ok ? 200 : 400 });
  }
  if (form.get("intent") === "grantInspector") {
    const parsed = grantInspectorSchema.safeParse({ identifier: form.get("identifier"), provinces: form.getAll("provinces") });
    if (!parsed.success) return data({ error: parsed.error.issues[0]!.message, granted: false, inspector: false }, { status: 400 });
    const r = await grantRole(parsed.data.identifier, "INSPECTOR", parsed.data.provinces);
    return data({ error: r.ok ? undefined : r.error, granted: false, inspector: r.ok }, { status: r.ok ? 200 : 400 });
  }
  if (form.get("intent") === "grantOfficer") {
    const parsed = parseSubmission(appointOfficerSchema, form);
    if (!parsed.ok) return data({ error: Object.values(parsed.fieldErrors)[0], granted: false, officer: false }, { status: 400 });
    const r = await appointOfficer(parsed.data.identifier, parsed.data.province || null, parsed.data.officeName);
    return data({ error: r.ok ? undefined : r.error, granted: false, officer: r.ok }, { status: r.ok ? 200 : 400 });
  }
  const parsed = parseSubmission(producerDecisionSchema, form);
  if (!parsed.ok) return data({ error: "error.badRequest", granted: false }, { status: 400 });
  const exists = await prisma.producer.findUnique({ where: { id: parsed.data.producerId }, select: { id: true } });
  if (!exists) throw notFound();
  const producer = await setProducerStatus(admin.id, parsed.data.producerId, parsed.data.decision, parsed.data.reason);
  const approved: string | undefined = parsed.data.decision === "APPROVED" ? producer.name : undefined;
  const suspended: string | undefined = parsed.data.decision === "SUSPENDED" ? producer.name : undefined;
  return data({ error: undefined, granted: false, decided: producer.id, approved, suspended });
}

export default function Admin() {
  const t = useT();
  const locale = useLocale();
  const { producers, certificates, provinces } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const decision =
    actionData && "decided" in actionData ? (actionData as { decided?: string; approved?: string; suspended?: string }) : null;
  return (
    <Page title={t("admin.title")}>
      <p className="mb-3 flex flex-wrap gap-4 text-sm">
        <Link to="/admin/outbox">{t("outbox.title")}</Link>
        <Link to="/admin/refunds">{t("admin.refunds.title")}</Link>
        <Link to="/inspector/reviews">{t("review.moderateTitle")}</Link>
        <Link to="/inspector/dashboard">{t("inspector.dashboard")}</Link>
        <Link to="/inspector/ledger">{t("inspector.ledger")}</Link>
        <Link to="/officer">{t("ocopVerify.centralQueue")}</Link>
      </p>
      <FormError error={actionData?.error} />
      {/* Pinned to the bottom of the screen: on a phone the tapped button is far down a long page, and the card moves once the list reloads. */}
      {decision?.approved || decision?.suspended ? (
        <p
          role="status"
          className={`fixed inset-x-0 bottom-0 z-10 border-t-2 p-3 shadow-lg ${decision.approved ? "border-brand-600 bg-brand-50 text-brand-800" : "border-amber-600 bg-amber-50 text-amber-900"}`}
        >
          {decision.approved
            ? t("admin.approvedDone", { name: decision.approved })
            : t("admin.suspendedDone", { name: decision.suspended ?? "" })}
        </p>
      ) : null}

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("admin.grantHelper")}</h2>
        {actionData?.granted ? (
          <p role="status" className="mb-2 text-brand-800">
            {t("admin.helperGranted")}
          </p>
        ) : null}
        <Form method="post" className="flex flex-wrap items-end gap-2">
          <div className="grow">
            <label htmlFor="helper-identifier">{t("auth.identifier")}</label>
            <input id="helper-identifier" name="identifier" maxLength={254} />
          </div>
          <button type="submit" name="intent" value="grantHelper" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
            {t("admin.grant")}
          </button>
        </Form>
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("admin.grantInspector")}</h2>
        {actionData && "inspector" in actionData && actionData.inspector ? (
          <p role="status" className="mb-2 text-brand-800">
            {t("admin.inspectorGranted")}
          </p>
        ) : null}
        <Form method="post">
          <label htmlFor="inspector-identifier">{t("auth.identifier")}</label>
          <input id="inspector-identifier" name="identifier" maxLength={254} className="mb-2 block w-full" />
          <fieldset className="mb-2">
            <legend className="font-medium">{t("admin.inspectorProvinces")}</legend>
            <p className="text-sm text-stone-600">{t("admin.inspectorProvincesHint")}</p>
            <div className="mt-1 max-h-64 overflow-y-auto rounded border border-stone-200 p-2" data-testid="inspector-provinces">
              {provinces.map((p) => (
                <label key={p.code} className="flex items-center gap-3 py-1.5 font-normal">
                  <input type="checkbox" name="provinces" value={p.code} className="h-5 w-auto shrink-0" />
                  {p.name}
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit" name="intent" value="grantInspector" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
            {t("admin.grantInspectorButton")}
          </button>
        </Form>
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("ocopVerify.appoint")}</h2>
        {actionData && "officer" in actionData && actionData.officer ? (
          <p role="status" className="mb-2 text-brand-800">
            {t("ocopVerify.appointed")}
          </p>
        ) : null}
        <Form method="post">
          <label htmlFor="officer-identifier">{t("auth.identifier")}</label>
          <input id="officer-identifier" name="identifier" maxLength={254} className="mb-2 block w-full" />
          <label htmlFor="officer-province">{t("ocopVerify.appointProvince")}</label>
          <select id="officer-province" name="province" className="mb-2 block w-full">
            <option value="">{t("ocopVerify.central")}</option>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
          <label htmlFor="officer-office">{t("ocopVerify.officeName")}</label>
          <input
            id="officer-office"
            name="officeName"
            maxLength={200}
            placeholder={t("ocopVerify.officeNameHint")}
            className="mb-2 block w-full"
          />
          <button type="submit" name="intent" value="grantOfficer" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
            {t("admin.appointOfficer")}
          </button>
        </Form>
      </Card>
      {certificates.length ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("cert.listTitle")}</h2>
          <ul className="space-y-3">
            {certificates.map((c) => (
              <li key={c.id}>
                <p>
                  {"★".repeat(c.stars)} {t(`certStatus.${c.verification === "VERIFIED" ? "ACTIVE" : c.verification}`)} · {c.product.name} ·{" "}
                  {c.product.producer.name} · {t("cert.decisionNo", { number: c.decisionNumber })} ·{" "}
                  {t("cert.validUntil", { date: formatDate(locale, c.validUntil) })}
                </p>
                <Form method="post" action={`/certificates/${c.id}/revoke`} className="mt-1 flex flex-wrap items-end gap-2">
                  <input type="hidden" name="redirectTo" value="/admin" />
                  <label className="sr-only" htmlFor={`revoke-${c.id}`}>
                    {t("admin.revokeReason")}
                  </label>
                  <input
                    id={`revoke-${c.id}`}
                    name="reason"
                    required
                    maxLength={500}
                    placeholder={t("admin.revokeReason")}
                    className="mt-0 w-64"
                  />
                  <button type="submit" className="rounded-md border border-red-700 px-3 py-2 text-sm font-semibold text-red-700">
                    {t("admin.revoke")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <h2 className="mb-3 text-xl font-semibold">{t("admin.producers")}</h2>
      <ul>
        {producers.map((p) => (
          <li key={p.id}>
            <Card>
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div>
                  <p className="font-semibold">{p.name}</p>
                  <p className="text-sm text-stone-600">
                    {t(`producerType.${p.type}`)} · {p.location.ward}, {p.location.province}
                  </p>
                  <p className="text-sm text-stone-600">
                    {p.registrationNumber ? `${t("profile.registrationNumber")}: ${p.registrationNumber} · ` : ""}
                    {p.contacts.join(", ")} · {formatDate(locale, p.createdAt)}
                  </p>
                </div>
                <span className="rounded bg-stone-100 px-2 py-1 text-sm font-semibold">{t(`producerStatus.${p.status}`)}</span>
              </div>
              <Form method="post" className="mt-3 flex flex-wrap items-end gap-2">
                <input type="hidden" name="producerId" value={p.id} />
                {p.status !== "APPROVED" ? (
                  <button
                    type="submit"
                    name="decision"
                    value="APPROVED"
                    className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white"
                    aria-label={`${t("admin.approve")} ${p.name}`}
                  >
                    {t("admin.approve")}
                  </button>
                ) : null}
                {p.status !== "SUSPENDED" ? (
                  <>
                    <label className="sr-only" htmlFor={`reason-${p.id}`}>
                      {t("admin.reason")}
                    </label>
                    <input id={`reason-${p.id}`} name="reason" placeholder={t("admin.reason")} className="mt-0 w-56" maxLength={500} />
                    <button
                      type="submit"
                      name="decision"
                      value="SUSPENDED"
                      className="rounded-md border border-red-700 px-4 py-2 font-semibold text-red-700"
                      aria-label={`${t("admin.suspend")} ${p.name}`}
                    >
                      {t("admin.suspend")}
                    </button>
                  </>
                ) : null}
              </Form>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
