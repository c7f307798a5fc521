import { Form, useNavigation } from "@remix-run/react";
import { Card } from "~/components/layout";
import { SelectField, SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { CARRIERS } from "~/domain/delivery/carriers";
import { ZONE_ROWS } from "~/domain/delivery/zone-rows";

type Values = Record<string, string | string[] | undefined>;

const text = (v: Values, name: string) => {
  const x = v[name];
  return typeof x === "string" ? x : "";
};

/** A producer's delivery settings: how it ships, a pickup point, and up to ZONE_ROWS zones (a plain form: works without JavaScript). */
export function DeliverySettingsForm({
  provinces,
  values,
  errors,
}: {
  provinces: { code: string; name: string }[];
  values: Values;
  errors: Record<string, string>;
}) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" noValidate>
      <Card>
        <SelectField
          name="shipsWith"
          label={t("delivery.shipsWith")}
          defaultValue={text(values, "shipsWith") || "OWN"}
          error={errors.shipsWith}
          options={CARRIERS.map((c) => ({ value: c, label: t(`carrier.${c}`) }))}
        />
        <TextField
          name="flatFeeVnd"
          label={t("delivery.flatFee")}
          inputMode="numeric"
          defaultValue={text(values, "flatFeeVnd")}
          error={errors.flatFeeVnd}
        />
        <TextField
          name="freeAboveVnd"
          label={t("delivery.freeAboveField")}
          hint={t("common.optional")}
          inputMode="numeric"
          defaultValue={text(values, "freeAboveVnd")}
          error={errors.freeAboveVnd}
        />
        <TextField
          name="pickupAddress"
          label={t("delivery.pickupAddress")}
          hint={t("common.optional")}
          maxLength={200}
          defaultValue={text(values, "pickupAddress")}
          error={errors.pickupAddress}
        />
        <TextField
          name="pickupHours"
          label={t("delivery.pickupHoursField")}
          hint={t("common.optional")}
          maxLength={100}
          defaultValue={text(values, "pickupHours")}
          error={errors.pickupHours}
        />
      </Card>
      {Array.from({ length: ZONE_ROWS }, (_, i) => {
        const chosen = values[`z${i}provinces`];
        const chosenList = Array.isArray(chosen) ? chosen : chosen ? [chosen] : [];
        return (
          <Card key={i}>
            <fieldset data-testid={`zone-${i}`}>
              <legend className="mb-2 text-lg font-semibold">{t("delivery.zone", { n: i + 1 })}</legend>
              <TextField
                name={`z${i}name`}
                label={t("delivery.zoneName")}
                maxLength={60}
                defaultValue={text(values, `z${i}name`)}
                error={errors[`z${i}name`]}
              />
              <div className="mb-4">
                <label htmlFor={`z${i}provinces`}>{t("delivery.zoneProvinces")}</label>
                <select
                  id={`z${i}provinces`}
                  name={`z${i}provinces`}
                  multiple
                  size={6}
                  defaultValue={chosenList}
                  aria-invalid={errors[`z${i}provinces`] ? true : undefined}
                  className="w-full"
                >
                  {provinces.map((p) => (
                    <option key={p.code} value={p.code}>
                      {p.name}
                    </option>
                  ))}
                </select>
                {errors[`z${i}provinces`] ? (
                  <p className="mt-1 text-sm font-medium text-red-700" role="alert">
                    {t(errors[`z${i}provinces`]!)}
                  </p>
                ) : null}
              </div>
              <label className="mb-4 flex min-h-11 items-center gap-3">
                <input type="checkbox" name={`z${i}rest`} defaultChecked={values[`z${i}rest`] === "on"} className="h-5 w-5 shrink-0 p-0" />
                {t("delivery.zoneRest")}
              </label>
              {errors[`z${i}rest`] ? (
                <p className="mb-2 text-sm font-medium text-red-700" role="alert">
                  {t(errors[`z${i}rest`]!)}
                </p>
              ) : null}
              <TextField
                name={`z${i}fee`}
                label={t("delivery.zoneFee")}
                inputMode="numeric"
                defaultValue={text(values, `z${i}fee`)}
                error={errors[`z${i}fee`]}
              />
              <div className="grid grid-cols-2 gap-3">
                <TextField
                  name={`z${i}min`}
                  label={t("delivery.minDays")}
                  inputMode="numeric"
                  defaultValue={text(values, `z${i}min`)}
                  error={errors[`z${i}min`]}
                />
                <TextField
                  name={`z${i}max`}
                  label={t("delivery.maxDays")}
                  inputMode="numeric"
                  defaultValue={text(values, `z${i}max`)}
                  error={errors[`z${i}max`]}
                />
              </div>
            </fieldset>
          </Card>
        );
      })}
      <SubmitButton busy={busy}>{t("delivery.save")}</SubmitButton>
    </Form>
  );
}
