import { describe, expect, it } from "vitest";
import { refillValues } from "./use-reply-form";

describe("refillValues", () => {
  it("keeps one text per name and leaves out lists and empty entries", () => {
    expect(
      refillValues({ name: "Hợp tác xã Tân Cương", provinceCode: "19", provinces: ["01", "19"], story: undefined, note: null }),
    ).toEqual({
      name: "Hợp tác xã Tân Cương",
      provinceCode: "19",
    });
  });

  it("gives an empty record before any reply", () => {
    expect(refillValues(undefined)).toEqual({});
    expect(refillValues(null)).toEqual({});
  });
});
