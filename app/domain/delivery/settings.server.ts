import { z } from "zod";
import type { Carrier, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { findProvince } from "~/domain/address/address.server";
import { optionalText, wholeNumber } from "~/domain/input/fields";
import { refusal } from "~/i18n/refusal";
import { CARRIERS } from "./carriers";
import { quoteDelivery, type DeliveryQuote, type FeeTable, type FeeZone } from "./fees";

import { ZONE_ROWS } from "./zone-rows";
const MAX_FEE_VND = 2_000_000;
const MAX_DAYS = 60;

const provinceList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((c) => c !== ""))
  .refine((codes) => codes.every((c) => findProvince(c)), "error.chooseProvince")
  .refine((codes) => codes.length <= 34, "error.chooseProvince");

const optionalAmount = z
  .string()
  .optional()
  .transform((v) => v?.trim() ?? "")
  .pipe(z.union([z.literal("").transform(() => null), wholeNumber(1, 1_000_000_000)]));

function zoneFields(i: number) {
  return {
    [`z${i}name`]: optionalText(60),
    [`z${i}provinces`]: provinceList,
    [`z${i}rest`]: z.literal("on").optional(),
    [`z${i}fee`]: z.string().optional(),
    [`z${i}min`]: z.string().optional(),
    [`z${i}max`]: z.string().optional(),
  };
}

const fixedFields = z.object({
  shipsWith: z.enum(CARRIERS, { errorMap: () => ({ message: "error.chooseOne" }) }),
  flatFeeVnd: wholeNumber(0, MAX_FEE_VND),
  freeAboveVnd: optionalAmount,
  pickupAddress: optionalText(200),
  pickupHours: optionalText(100),
});
// The rows' fields, checked per row below (a row's fee and days matter only when it has a name).
const zoneRowFields = z.object(
  Object.fromEntries(Array.from({ length: ZONE_ROWS }, (_, i) => Object.entries(zoneFields(i))).flat()),
) as unknown as z.ZodType<Record<string, unknown>>;
const baseSchema = z.intersection(fixedFields, zoneRowFields);

export type DeliverySettingsInput = {
  shipsWith: Carrier;
  flatFeeVnd: number;
  freeAboveVnd: number | null;
  pickupAddress: string | undefined;
  pickupHours: string | undefined;
  zones: FeeZone[]; // as the fee rule reads them back
};

const fee = wholeNumber(0, MAX_FEE_VND);
const days = wholeNumber(0, MAX_DAYS);

/**
 * The settings form: a row with a name is a zone and needs provinces (or "the rest"), a fee
 * and days; a row left empty is ignored. A province may be in one zone only, and one zone
 * at most covers the rest, so every province has one answer.
 */
export const deliverySettingsSchema = baseSchema.transform((raw, ctx): DeliverySettingsInput => {
  const v: Record<string, unknown> = raw;
  const zones: FeeZone[] = [];
  const seen = new Set<string>();
  let rest = 0;
  for (let i = 0; i < ZONE_ROWS; i++) {
    const name = v[`z${i}name`] as string | undefined;
    const codes = v[`z${i}provinces`] as string[];
    const coversRest = v[`z${i}rest`] === "on";
    if (!name) {
      if (codes.length || coversRest) ctx.addIssue({ code: "custom", path: [`z${i}name`], message: "error.required" });
      continue;
    }
    if (!codes.length && !coversRest) ctx.addIssue({ code: "custom", path: [`z${i}provinces`], message: "error.chooseProvince" });
    for (const c of codes) {
      if (seen.has(c))
        ctx.addIssue({
          code: "custom",
          path: [`z${i}provinces`],
          message: refusal("delivery.provinceTwice", { n: findProvince(c)!.name }),
        });
      seen.add(c);
    }
    if (coversRest && ++rest > 1) ctx.addIssue({ code: "custom", path: [`z${i}rest`], message: "delivery.restTwice" });
    const parsed = {
      feeVnd: fee.safeParse(v[`z${i}fee`] ?? ""),
      minDays: days.safeParse(v[`z${i}min`] ?? ""),
      maxDays: days.safeParse(v[`z${i}max`] ?? ""),
    };
    for (const [key, r] of [
      ["fee", parsed.feeVnd],
      ["min", parsed.minDays],
      ["max", parsed.maxDays],
    ] as const)
      if (!r.success) ctx.addIssue({ code: "custom", path: [`z${i}${key}`], message: r.error.issues[0]!.message });
    if (!parsed.feeVnd.success || !parsed.minDays.success || !parsed.maxDays.success) continue;
    if (parsed.maxDays.data < parsed.minDays.data)
      ctx.addIssue({ code: "custom", path: [`z${i}max`], message: refusal("error.tooSmall", { n: parsed.minDays.data }) });
    zones.push({
      name,
      provinceCodes: codes,
      coversRest,
      feeVnd: parsed.feeVnd.data,
      minDays: parsed.minDays.data,
      maxDays: parsed.maxDays.data,
    });
  }
  if (v.pickupHours && !v.pickupAddress) ctx.addIssue({ code: "custom", path: ["pickupAddress"], message: "error.required" });
  return {
    shipsWith: raw.shipsWith,
    flatFeeVnd: raw.flatFeeVnd,
    freeAboveVnd: raw.freeAboveVnd,
    pickupAddress: raw.pickupAddress,
    pickupHours: raw.pickupHours,
    zones,
  };
});

/** Replaces a producer's delivery settings and zones at once (the whole table is one form). */
export async function saveDeliverySettings(
  producerId: string,
  input: DeliverySettingsInput,
  db: Prisma.TransactionClient | typeof prisma = prisma,
) {
  const write = async (tx: Prisma.TransactionClient) => {
    const settings = {
      shipsWith: input.shipsWith,
      flatFeeVnd: input.flatFeeVnd,
      freeAboveVnd: input.freeAboveVnd,
      pickupAddress: input.pickupAddress ?? null,
      pickupHours: input.pickupHours ?? null,
    };
    await tx.deliverySettings.upsert({ where: { producerId }, create: { producerId, ...settings }, update: settings });
    await tx.deliveryZone.deleteMany({ where: { producerId } });
    await tx.deliveryZone.createMany({ data: input.zones.map((z, position) => ({ producerId, position, ...z })) });
  };
  if ("$transaction" in db) await db.$transaction(write);
  else await write(db);
}

export type ProducerDelivery = FeeTable & {
  producerId: string;
  shipsWith: Carrier;
  pickupAddress: string | null;
  pickupHours: string | null;
};

const deliverySelect = {
  producerId: true,
  shipsWith: true,
  flatFeeVnd: true,
  freeAboveVnd: true,
  pickupAddress: true,
  pickupHours: true,
  producer: {
    select: {
      zones: {
        orderBy: { position: "asc" },
        select: { name: true, provinceCodes: true, coversRest: true, feeVnd: true, minDays: true, maxDays: true },
      },
    },
  },
} satisfies Prisma.DeliverySettingsSelect;

/** The delivery tables of some producers (none for a producer that has not set one: it does not deliver). */
export async function deliveryOf(
  producerIds: string[],
  db: Prisma.TransactionClient | typeof prisma = prisma,
): Promise<Map<string, ProducerDelivery>> {
  if (producerIds.length === 0) return new Map();
  const rows = await db.deliverySettings.findMany({ where: { producerId: { in: producerIds } }, select: deliverySelect });
  return new Map(rows.map(({ producer, ...s }) => [s.producerId, { ...s, zones: producer.zones }]));
}

export type GroupQuote = {
  producerId: string;
  subtotalVnd: number;
  quote: DeliveryQuote;
  freeAboveVnd: number | null;
  pickup: { address: string; hours: string | null } | null;
};

/** The fee and estimate of each producer's part of a cart, for one province. */
export async function quoteGroups(
  groups: { producerId: string; subtotalVnd: number }[],
  provinceCode: string | null,
): Promise<GroupQuote[]> {
  const tables = await deliveryOf(groups.map((g) => g.producerId));
  return groups.map((g) => {
    const table = tables.get(g.producerId) ?? null;
    return {
      ...g,
      quote: provinceCode ? quoteDelivery(table, provinceCode, g.subtotalVnd) : { delivered: false },
      freeAboveVnd: table?.freeAboveVnd ?? null,
      pickup: table?.pickupAddress ? { address: table.pickupAddress, hours: table.pickupHours } : null,
    };
  });
}

/** What the settings form shows: the saved table as the form's field values. */
export function settingsAsFormValues(d: ProducerDelivery | undefined): Record<string, string | string[]> {
  if (!d) return { shipsWith: "OWN", flatFeeVnd: "0" };
  const values: Record<string, string | string[]> = {
    shipsWith: d.shipsWith,
    flatFeeVnd: String(d.flatFeeVnd),
    freeAboveVnd: d.freeAboveVnd === null ? "" : String(d.freeAboveVnd),
    pickupAddress: d.pickupAddress ?? "",
    pickupHours: d.pickupHours ?? "",
  };
  d.zones.forEach((z, i) => {
    values[`z${i}name`] = z.name;
    values[`z${i}provinces`] = z.provinceCodes;
    if (z.coversRest) values[`z${i}rest`] = "on";
    values[`z${i}fee`] = String(z.feeVnd);
    values[`z${i}min`] = String(z.minDays);
    values[`z${i}max`] = String(z.maxDays);
  });
  return values;
}
