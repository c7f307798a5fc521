import { findProvince, isWardInProvince, listProvinces, listWards } from "./address.server";
import { producerProfileSchema } from "~/domain/catalog/producer.server";

describe("two-level addresses (since 1 July 2025)", () => {
  it("has the 34 provinces with 2-digit codes and 5-digit ward codes", () => {
    expect(listProvinces()).toHaveLength(34);
    expect(findProvince("01")?.name).toBe("Thành phố Hà Nội");
    expect(findProvince("19")?.name).toBe("Thái Nguyên");
    const wards = listWards("19");
    expect(wards.length).toBeGreaterThan(50);
    for (const w of wards) expect(w.code).toMatch(/^\d{5}$/);
  });

  it("knows which province a ward belongs to", () => {
    expect(isWardInProvince("05503", "19")).toBe(true); // Xã Tân Cương, Thái Nguyên
    expect(isWardInProvince("05503", "01")).toBe(false);
    expect(isWardInProvince("99999", "19")).toBe(false);
  });

  const base = { type: "HOUSEHOLD", name: "Hộ ông An", street: "Xóm 2", provinceCode: "19", wardCode: "05503" };

  it("accepts a ward inside the chosen province", () => {
    expect(producerProfileSchema.safeParse(base).success).toBe(true);
  });

  it("refuses a ward of another province, naming the ward field", () => {
    const r = producerProfileSchema.safeParse({ ...base, wardCode: "00004" }); // Phường Ba Đình, Hà Nội
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path[0], i.message])).toContainEqual(["wardCode", "error.wardNotInProvince"]);
  });

  it("refuses an unknown province", () => {
    const r = producerProfileSchema.safeParse({ ...base, provinceCode: "99" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path[0]).toBe("provinceCode");
  });

  it("asks cooperatives for a registration number but not households", () => {
    expect(producerProfileSchema.safeParse({ ...base, type: "COOPERATIVE" }).success).toBe(false);
    expect(producerProfileSchema.safeParse({ ...base, type: "COOPERATIVE", registrationNumber: "4601234567" }).success).toBe(true);
  });
});
