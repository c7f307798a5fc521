import { PRODUCER_TYPES } from "~/domain/catalog/ocop";
import { SelectField, TextAreaField, TextField } from "~/components/form-fields";
import { AddressFields } from "~/components/address-fields";
import { useT } from "~/i18n/use-t";

type Option = { code: string; name: string };

/**
 * The producer profile fields with the two-level address (see AddressFields).
 */
export function ProducerProfileFields({
  provinces,
  wards,
  values,
  errors,
}: {
  provinces: Option[];
  wards: Option[];
  values: Record<string, string>;
  errors: Record<string, string | undefined>;
}) {
  const t = useT();
  return (
    <>
      <SelectField
        name="type"
        label={t("profile.type")}
        defaultValue={values.type ?? "HOUSEHOLD"}
        error={errors.type}
        options={PRODUCER_TYPES.map((v) => ({ value: v, label: t(`producerType.${v}`) }))}
      />
      <TextField
        name="name"
        label={t("profile.name")}
        hint={t("profile.nameHint")}
        defaultValue={values.name}
        error={errors.name}
        maxLength={150}
        required
      />
      <TextField
        name="registrationNumber"
        label={t("profile.registrationNumber")}
        hint={t("profile.registrationHint")}
        defaultValue={values.registrationNumber}
        error={errors.registrationNumber}
        maxLength={50}
      />
      <AddressFields provinces={provinces} wards={wards} values={values} errors={errors} />
      <TextAreaField
        name="story"
        label={t("profile.story")}
        hint={t("profile.storyHint")}
        defaultValue={values.story}
        error={errors.story}
        maxLength={2000}
      />
    </>
  );
}

/** The producer's limit on cash-on-delivery orders (units per order, 0: no COD), with why it matters. */
export function CodLimitField({ value, error }: { value: string; error?: string }) {
  const t = useT();
  return (
    <TextField
      name="codMaxUnits"
      label={t("profile.codMaxUnits")}
      hint={t("profile.codMaxUnitsHint")}
      inputMode="numeric"
      defaultValue={value}
      error={error}
      maxLength={5}
      required
    />
  );
}
