// The review row shared by the producer's answers page and the moderators' page.
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { LocaleProvider } from "~/i18n/use-t";
import { rowFieldError, StaffReviewCard } from "./reviews";

const review = {
  id: "r1",
  authorName: "Lan N.",
  rating: 4,
  body: "Mật ong thơm.\nĐóng chai cẩn thận.",
  createdAt: new Date("2026-12-01T03:00:00Z"),
  hiddenAt: null,
  hiddenReason: null,
};

const render = (props: Parameters<typeof StaffReviewCard>[0]) =>
  // Without the markers React puts between neighbouring texts.
  renderToString(createElement(LocaleProvider, { value: "vi" }, createElement(StaffReviewCard, props))).replaceAll("<!-- -->", "");

describe("StaffReviewCard", () => {
  it("shows what the review is about, its date, stars, author and text, then the page's own part", () => {
    const html = render({ review, about: "Mật ong bạc hà · HTX Ong", children: createElement("p", null, "phần của trang") });
    expect(html).toContain("Mật ong bạc hà · HTX Ong · ");
    expect(html).toContain("2026");
    expect(html).toContain("★★★★<");
    expect(html).toContain("Lan N.");
    expect(html).toContain("Đóng chai cẩn thận.");
    expect(html).toContain("phần của trang");
    expect(html).not.toContain("Đã ẩn");
  });

  it("says a hidden review was hidden and why", () => {
    const html = render({ review: { ...review, hiddenAt: new Date(), hiddenReason: "Lời lẽ xúc phạm" }, about: "Mật ong", children: null });
    expect(html).toContain("Đã ẩn. Lý do: Lời lẽ xúc phạm");
  });
});

describe("rowFieldError", () => {
  const refused = { reviewId: "r1", fieldErrors: { reply: "error.required" } };
  it("puts a field's error under the row it was posted from only", () => {
    expect(rowFieldError(refused, "r1", "reply")).toBe("error.required");
    expect(rowFieldError(refused, "r2", "reply")).toBeUndefined();
    expect(rowFieldError(undefined, "r1", "reply")).toBeUndefined();
  });
  it("puts it under every row when the form named no review it could read", () => {
    expect(rowFieldError({ reviewId: null, fieldErrors: { reply: "error.required" } }, "r2", "reply")).toBe("error.required");
  });
});
