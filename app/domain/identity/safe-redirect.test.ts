import { prisma } from "~/db.server";
import { safeRedirect } from "~/web/session.server";
import * as login from "~/routes/login";
import { args, createUser, post } from "../../../test/helpers";

// After login (and the locale switch, and revoking) the app sends the browser to a path the
// request named. Whatever a browser would read as another site must fall back to ours.

describe("safeRedirect", () => {
  it.each([
    "/%09/evil.example", // what a login link carries: a tab a browser drops, leaving //evil.example
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%5Cevil.example",
    "https://evil.example",
    "http:/evil.example",
    "/%2F%2Fevil.example",
    "/%2F/evil.example",
    "javascript:alert(1)",
    " /x",
    "",
    "x",
    "/\u0000x",
  ])("refuses %j", (target) => {
    expect(safeRedirect(target, "/fallback")).toBe("/fallback");
  });

  it("refuses what is not a string", () => {
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(undefined, "/a")).toBe("/a");
  });

  it("keeps a path on the site, with its query and fragment", () => {
    expect(safeRedirect("/orders?x=1#y")).toBe("/orders?x=1#y");
    expect(safeRedirect("/producer/products/abc")).toBe("/producer/products/abc");
    expect(safeRedirect("/products?q=ch%C3%A8")).toBe("/products?q=ch%C3%A8");
  });
});

describe("logging in with a redirect that leaves the site", () => {
  it("stays on the site", async () => {
    const user = await createUser(["SHOPPER"]);
    const response = (await login.action(
      args(post("/login", { identifier: user.phone!, password: "mat-khau-thu", redirectTo: "/\t/evil.example" })),
    )) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("keeps a redirect on the site", async () => {
    const user = await createUser(["SHOPPER"]);
    const response = (await login.action(
      args(post("/login", { identifier: user.phone!, password: "mat-khau-thu", redirectTo: "/orders?x=1" })),
    )) as Response;
    expect(response.headers.get("Location")).toBe("/orders?x=1");
  });
});
