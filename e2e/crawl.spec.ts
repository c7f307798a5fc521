import type { Page, Response } from "@playwright/test";
import { messages } from "../app/i18n/messages";
import { test, expect, logIn } from "./fixtures";

// Every click works: for each role and both languages, start at the role's home and CLICK
// every same-site link (in-app navigation, as people tap), to a bounded depth, submitting nothing.
// Fails on an error page, an unexpected 4xx/5xx, a console error, an uncaught error or a CSP
// violation (fixtures.ts) and on a page wider than a 360 px phone. Files (labels, CSV, PDF) are
// fetched instead of clicked and must answer 200.

const MAX_DEPTH = 3;
const MAX_CLICKS = 28; // per role and language: every kind of page, not every row of every list

type Role = { name: string; login?: [string, string]; home: string; actFor?: string };
const ROLES: Role[] = [
  { name: "anonymous", home: "/" },
  { name: "buyer", login: ["0987654321", "nguoimua123"], home: "/orders" },
  { name: "producer", login: ["0912345678", "nongdan123"], home: "/producer" },
  { name: "helper", login: ["tocns@ocop-trace.vn", "hotro123"], home: "/helper", actFor: "Hộ Lò Văn Thắm" },
  { name: "inspector", login: ["thanhtra@ocop-trace.vn", "thanhtra123"], home: "/inspector" },
  { name: "officer", login: ["ocop.thainguyen@ocop-trace.vn", "canbo123"], home: "/officer" },
  { name: "admin", login: ["admin@ocop-trace.vn", "quantri123"], home: "/admin" },
];

const ERROR_TITLES = new Set(
  (["vi", "en"] as const).flatMap((l) =>
    ["page404", "page403", "page500", "page503"].map((k) => (messages[l] as Record<string, string>)[`error.${k}.title`]),
  ),
);
const FILE = /\.(png|svg|pdf|csv|json|txt|zip)(\?|$)|\/(file|labels?)(\?|$)/;
// Links that end the session or leave the visitor's choices are not followed: the crawl clicks, it does not undo.
const NOT_FOLLOWED = /^\/(logout|locale)(\/|\?|$)/;
// Pages every role sees alike: crawled once per language, by whoever reaches them first.
const PUBLIC = /^\/($|\?|products|scan|t\/|01\/|cart|login|signup|forgot-password|claim|verify|log\/)/;
const publicSeen = new Set<string>();

/** One kind of page: ids, codes and numbers in the path become ':', the query keeps its names. */
function patternOf(href: string): string {
  const url = new URL(href, "http://x");
  const path = url.pathname
    .split("/")
    .map((s) => (/^(c[a-z0-9]{20,}|[23456789A-HJKMNP-Z]{18}|\d{3,}|DH[0-9A-Z-]+|[0-9a-f-]{32,})$/.test(s) ? ":" : s))
    .join("/");
  const keys = [...new Set(url.searchParams.keys())].sort().join("&");
  return keys ? `${path}?${keys}` : path;
}

for (const role of ROLES) {
  for (const lang of ["vi", "en"] as const) {
    test(`crawl: ${role.name} in ${lang === "vi" ? "Vietnamese" : "English"}, by clicking every link`, async ({ page, baseURL }) => {
      test.setTimeout(240_000);
      await page.setViewportSize({ width: 360, height: 740 });
      const origin = new URL(baseURL!).origin;
      const problems: string[] = [];
      let here = "(start)";
      page.on("console", (m) => {
        // Remix logs this when one in-app navigation interrupts another (a second tap before the first page came).
        if (m.type() === "error" && !m.text().startsWith("AbortError: signal is aborted without reason"))
          problems.push(`${here}: console error: ${m.text().slice(0, 200)}`);
      });
      page.on("pageerror", (e) => problems.push(`${here}: uncaught: ${e.message.slice(0, 200)}`));
      page.on("response", (r: Response) => {
        const u = new URL(r.url());
        if (u.origin === origin && r.status() >= 400)
          problems.push(`${here}: ${r.status()} ${u.pathname}${u.search} (${r.request().resourceType()})`);
      });

      if (role.login) await logIn(page, ...role.login);
      else await page.goto("/");
      if (lang === "en") {
        await page.getByRole("button", { name: "English" }).click();
        await expect(page.locator("html")).toHaveAttribute("lang", "en");
      }
      if (role.actFor) {
        await page.goto(role.home);
        await page
          .getByRole("button", { name: new RegExp(role.actFor) })
          .first()
          .click();
        await expect(page).toHaveURL(/\/producer/);
      } else {
        await page.goto(role.home);
      }

      const seen = new Set<string>();
      let clicks = 0;
      const visited: string[] = [];

      const inspect = async (page: Page) => {
        const path = new URL(page.url()).pathname + new URL(page.url()).search;
        // A link that opened a file as a document (JSON, CSV shown by the browser) has no page to check.
        if ((await page.evaluate(() => document.contentType)) !== "text/html") return;
        const h1 =
          (
            await page
              .locator("h1")
              .first()
              .textContent({ timeout: 2000 })
              .catch(() => "")
          )?.trim() ?? "";
        if (ERROR_TITLES.has(h1)) problems.push(`${path}: error page "${h1}" (reached from ${visited.at(-2) ?? "home"})`);
        const wide = await page.evaluate(() => {
          const width = window.innerWidth;
          if (document.documentElement.scrollWidth <= width + 1) return null;
          const culprits = [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > width + 1 && el.children.length === 0)
            .slice(0, 3)
            .map((el) => `<${el.tagName.toLowerCase()}> ${(el.textContent ?? "").trim().slice(0, 40)}`);
          return `${document.documentElement.scrollWidth} px wide: ${culprits.join(" | ")}`;
        });
        if (wide) problems.push(`${path}: wider than 360 px, ${wide}`);
        if ((await page.locator("html").getAttribute("lang")) !== lang) problems.push(`${path}: shown in the other language`);
      };

      const linksOn = async (page: Page) =>
        page.locator("a[href]:visible").evaluateAll((as) =>
          as.map((a) => ({
            href: a.getAttribute("href") ?? "",
            download: a.hasAttribute("download"),
            target: a.getAttribute("target") ?? "",
          })),
        );

      const explore = async (depth: number): Promise<void> => {
        const at = page.url();
        here = new URL(at).pathname;
        visited.push(here);
        await inspect(page);
        if (depth >= MAX_DEPTH) return;
        for (const link of await linksOn(page)) {
          if (clicks >= MAX_CLICKS) return;
          if (!link.href || /^(#|mailto:|tel:|sms:|javascript:)/.test(link.href)) continue;
          const url = new URL(link.href, at);
          if (url.origin !== origin) continue;
          const path = url.pathname + url.search;
          if (NOT_FOLLOWED.test(path)) continue;
          const pattern = patternOf(path);
          if (seen.has(pattern)) continue;
          seen.add(pattern);
          if (PUBLIC.test(path)) {
            if (publicSeen.has(`${lang}|${pattern}`)) continue;
            publicSeen.add(`${lang}|${pattern}`);
          }
          if (link.download || FILE.test(path)) {
            const res = await page.request.get(url.href);
            if (res.status() !== 200) problems.push(`${here}: file link ${path} answers ${res.status()}`);
            continue;
          }
          if (link.target === "_blank") {
            const res = await page.request.get(url.href);
            if (res.status() >= 400) problems.push(`${here}: link ${path} (new tab) answers ${res.status()}`);
            continue;
          }
          clicks++;
          const from = here;
          if (page.url() !== at) await page.goto(at);
          const target = page.locator(`a[href="${link.href.replace(/"/g, '\\"')}"]:visible`).first();
          await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
          try {
            await target.click({ timeout: 5000 });
            await page.waitForURL((u) => u.href !== at, { timeout: 5000 }).catch(() => undefined);
            await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
          } catch (e) {
            const log = (e as Error).message
              .split("\n")
              .filter((l) => l.trim().startsWith("-"))
              .slice(-2)
              .join(" / ");
            problems.push(`${from} (${page.url()}): could not click ${path}: ${log}`);
            continue;
          }
          await explore(depth + 1);
          here = from;
          // Back the way a person goes back; a page that cannot be gone back to is opened again.
          await page.goBack().catch(() => null);
          if (
            !(await page.waitForURL(at, { timeout: 5000 }).then(
              () => true,
              () => false,
            ))
          )
            await page.goto(at);
          await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
        }
      };

      seen.add(patternOf(new URL(page.url()).pathname + new URL(page.url()).search));
      await explore(0);
      console.log(
        `[crawl] ${role.name}/${lang}: ${clicks} links clicked, ${seen.size} kinds of link seen, ${problems.length} problems; visited ${visited.join(" ")}`,
      );
      expect(problems, `${role.name}/${lang}: visited ${visited.join(" ")}`).toEqual([]);
    });
  }
}
