import { useSubmit } from "@remix-run/react";
import { SelectField, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";

type Option = { code: string; name: string };

/**
 * The two-level address (province → ward, after the 2025 reform) and street. Choosing
 * a province re-posts the form with intent=loadWards (automatically with JavaScript,
 * by a button without it) so the ward list always belongs to the chosen province.
 */
export function AddressFields({
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
  const submit = useSubmit();
  return (
    <>
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
      <TextField
        name="street"
        label={t("address.street")}
        hint={t("address.streetHint")}
        defaultValue={values.street}
        error={errors.street}
        maxLength={200}
        required
      />
    </>
  );
}
