import { formFits, pickSmaller, uploadProblem } from "./upload-prepare";
import { MAX_UPLOAD_BYTES } from "~/lib/upload-limits";

// What the phone refuses before it sends a byte (the shrinking itself is a canvas: e2e/product-edit.spec.ts).
describe("checks before sending", () => {
  const MB = 1024 * 1024;
  it("refuses a file over 5 MB, and a file of a type the form does not take", () => {
    expect(uploadProblem({ size: 6 * MB, type: "application/pdf" }, "document")).toBe("tooLarge");
    expect(uploadProblem({ size: MAX_UPLOAD_BYTES, type: "application/pdf" }, "document")).toBeNull();
    expect(uploadProblem({ size: MAX_UPLOAD_BYTES + 1, type: "image/jpeg" }, "photo")).toBe("tooLarge");
    expect(uploadProblem({ size: 1000, type: "application/pdf" }, "photo")).toBe("notImage");
    expect(uploadProblem({ size: 1000, type: "text/plain" }, "document")).toBe("notDocument");
    // Some phones give no type: the server decides by the bytes.
    expect(uploadProblem({ size: 1000, type: "" }, "photo")).toBeNull();
  });

  it("sends the shrunk photo unless the original is already smaller and within the limit", () => {
    expect(pickSmaller({ size: 6 * MB }, { size: 400_000 })).toBe("shrunk");
    expect(pickSmaller({ size: 2_000 }, { size: 9_000 })).toBe("original");
    expect(pickSmaller({ size: 6 * MB }, { size: 7 * MB })).toBe("shrunk"); // then refused as too large, never the 6 MB
    expect(pickSmaller({ size: 6 * MB }, null)).toBe("original"); // the browser could not draw it: refused as too large
  });

  it("keeps a whole form under what the server reads", () => {
    expect(formFits([4 * MB, 4 * MB])).toBe(true);
    expect(formFits([5 * MB, 5 * MB, 5 * MB, 5 * MB])).toBe(false);
  });
});
