import { useSubmit } from "@remix-run/react";
import { PRODUCER_TYPES } from "~/domain/catalog/ocop";
import { SelectField, TextAreaField, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";

type Option = { code: string; name: string };

/**
 * The producer profile fields with the two-level address. Choosing a province
 * re-posts the form with intent=loadWards (automatically with JavaScript, by a
 * button without it) so the ward list always belongs to the chosen province.
 */
export function ProducerProfileFields({ provinces, wards, values, errors }: { provinces: Option[]; wards: Option[]; values: Record<string, string>; errors: Record<string, string> }) {
  const t = useT();
  const submit = useSubmit();
  return (
    <>
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
          submit(fd, { method: "post", replace: true, preventScrollReset: true, encType: "application/x-www-form-urlencoded" });
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
    </>
  );
}
