import type { ReactNode } from "react";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";

type Facts = {
  lotCode?: string;
  producedAt: Date | string;
  expiresAt: Date | string | null;
  quantity: number;
  stock?: number;
  status?: string;
  productionArea: string | null;
};

/** A batch's key facts as a definition list; fields the caller leaves out are not shown. `unit` is the unit's code (unit.* / qty.*). */
export function BatchFacts({ batch, unit }: { batch: Facts; unit: string }) {
  const t = useT();
  const locale = useLocale();
  const rows: [string, ReactNode][] = [];
  if (batch.lotCode) rows.push([t("batch.lot"), <span className="font-mono font-semibold">{batch.lotCode}</span>]);
  rows.push([t("batch.producedAt"), formatDate(locale, batch.producedAt)]);
  if (batch.expiresAt) rows.push([t("batch.expiresAt"), formatDate(locale, batch.expiresAt)]);
  rows.push([t("batch.quantityShort"), t(`qty.${unit}`, { n: batch.quantity })]);
  if (batch.stock !== undefined) rows.push([t("batch.stock"), t(`qty.${unit}`, { n: batch.stock })]);
  if (batch.status) rows.push([t("batch.status"), t(`batchStatus.${batch.status}`)]);
  if (batch.productionArea) rows.push([t("batch.productionArea"), batch.productionArea]);
  return (
    <dl className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)] gap-x-3 gap-y-1 [overflow-wrap:anywhere]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-stone-600">{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
