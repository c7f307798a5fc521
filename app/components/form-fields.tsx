import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useT } from "~/i18n/use-t";

// `id` defaults to the name; give one when two forms on a page share a field name.
type Base = { name: string; label: string; error?: string; hint?: string; id?: string };

// `name` here is the field's id (labels and messages hang off it).
function FieldShell({ name, label, error, hint, children }: Base & { children: ReactNode }) {
  const t = useT();
  return (
    <div className="mb-4">
      <label htmlFor={name}>{label}</label>
      {children}
      {hint && !error ? (
        <p id={`${name}-hint`} className="mt-1 text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="mt-1 text-sm font-medium text-red-700" role="alert">
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(name: string, error?: string, hint?: string) {
  return error ? `${name}-error` : hint ? `${name}-hint` : undefined;
}

export function TextField({ name, id, label, error, hint, ...rest }: Base & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldShell name={id ?? name} label={label} error={error} hint={hint}>
      <input
        id={id ?? name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id ?? name, error, hint)}
        {...rest}
      />
    </FieldShell>
  );
}

export function TextAreaField({ name, id, label, error, hint, ...rest }: Base & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell name={id ?? name} label={label} error={error} hint={hint}>
      <textarea
        id={id ?? name}
        name={name}
        rows={4}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id ?? name, error, hint)}
        {...rest}
      />
    </FieldShell>
  );
}

export function SelectField({
  name,
  id,
  label,
  error,
  hint,
  options,
  placeholder,
  ...rest
}: Base & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[]; placeholder?: string }) {
  return (
    <FieldShell name={id ?? name} label={label} error={error} hint={hint}>
      <select
        id={id ?? name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id ?? name, error, hint)}
        {...rest}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

const BUTTON_LOOKS = {
  primary:
    "inline-flex min-h-11 items-center justify-center rounded-md bg-brand-700 px-5 py-2 text-base font-semibold text-white hover:bg-brand-800 disabled:opacity-60",
  // The smaller, outlined submit of a row's own action (ship, mark refunded, reallocate).
  secondary: "rounded-md border border-brand-700 px-3 py-1 font-semibold text-brand-700",
};

export function SubmitButton({
  children,
  name,
  value,
  busy,
  look = "primary",
}: {
  children: ReactNode;
  name?: string;
  value?: string;
  busy?: boolean;
  look?: keyof typeof BUTTON_LOOKS;
}) {
  return (
    <button type="submit" name={name} value={value} disabled={busy} className={BUTTON_LOOKS[look]}>
      {children}
    </button>
  );
}

export function FormError({ error }: { error?: string }) {
  const t = useT();
  if (!error) return null;
  return (
    <p className="mb-4 rounded-md border border-red-300 bg-red-50 p-3 text-red-800" role="alert">
      {t(error)}
    </p>
  );
}
