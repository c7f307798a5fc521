import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

// Every journey also fails on any uncaught error in the browser (hydration
// mismatches, a server-only value that is undefined in the bundle, …), and on anything
// the Content Security Policy blocked: a console report or a securitypolicyviolation event.
// Watched in the journey's own page and in every context it opens (a second shopper, JS off).
const CSP_CONSOLE = /Content Security Policy|Refused to (execute|load|apply|connect|frame|send form data)/i;

export const test = base.extend<{ failOnPageErrors: void }>({
  failOnPageErrors: [
    async ({ page, browser }, use) => {
      const errors: string[] = [];
      const violations: string[] = [];
      const watch = async (context: BrowserContext) => {
        context.on("weberror", (e) => errors.push(e.error().message));
        context.on("console", (m) => {
          if (CSP_CONSOLE.test(m.text())) violations.push(`${m.page()?.url() ?? "?"}: ${m.text()}`);
        });
        // Reported from every document, before its own scripts run.
        await context.exposeFunction("__reportCspViolation", (v: string) => violations.push(v));
        await context.addInitScript(() => {
          document.addEventListener("securitypolicyviolation", (e) => {
            (window as unknown as { __reportCspViolation(v: string): void }).__reportCspViolation(
              `${location.href}: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`,
            );
          });
        });
      };
      await watch(page.context());
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...options: Parameters<Browser["newContext"]>) => {
        const context = await newContext(...options);
        await watch(context);
        return context;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      expect(errors, "uncaught errors in the page").toEqual([]);
      expect(violations, "Content Security Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Page } from "@playwright/test";

/** A cheap Android phone's browser: counted as a person scanning (headless Chrome is not). */
export const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 11; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";

export async function logIn(page: Page, identifier: string, secret: string) {
  await page.goto("/login");
  await page.getByLabel("Số điện thoại hoặc email").fill(identifier);
  await page.getByLabel("Mật khẩu").fill(secret);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
}

/** A datetime-local value in Vietnam time: `daysAgo` days back, at `hour`:00. */
export function vnDateTime(daysAgo: number, hour = 7): string {
  const d = new Date(Date.now() - daysAgo * 86_400_000 + 7 * 3600_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00`;
}

/** The demo household logs in and adds a batch `lot` of its tea; the page ends on the new batch. */
export async function newDemoBatch(page: Page, lot: string) {
  await logIn(page, "0912345678", "nongdan123");
  await addDemoBatch(page, lot);
}

/** The (logged-in) demo household adds a batch `lot` of one of its teas; the page ends on the new batch. */
export async function addDemoBatch(page: Page, lot: string, product = "Chè búp Tân Cương") {
  await page.goto("/producer");
  await page.getByRole("link", { name: product }).click();
  await page.getByRole("link", { name: "Thêm lô hàng" }).click();
  await page.getByLabel("Mã lô").fill(lot);
  await page.getByLabel("Ngày sản xuất / thu hoạch").fill(vnDateTime(1).slice(0, 10));
  await page.getByLabel(/^Số lượng \(/).fill("100");
  await page.getByRole("button", { name: "Lưu lô hàng" }).click();
  await expect(page.getByRole("heading", { name: `${product} · Lô ${lot}` })).toBeVisible();
}

/** Logs out and waits until it has happened (a page load right after the click could still be logged in). */
export async function logOut(page: Page) {
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
}

/** A plain connection to a journey's database: $1-style parameters; Date parameters are stored as UTC (the columns are timestamp without time zone, as Prisma writes them). */
export type E2eDb = {
  /** The one row the query returns (fails when there is none). */
  one<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T>;
  /** The first row, or undefined. */
  first<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement; resolves with the number of rows it touched. */
  run(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
};

/** Connects to `url` (by default the journeys' database: the embedded PostgreSQL that `npm start` runs in E2E_DATA_DIR/pg, see playwright.config.ts). */
export async function e2eDb(url?: string): Promise<E2eDb> {
  const { default: pg } = await import("pg");
  if (!url) {
    const path = await import("node:path");
    const { runningDatabaseUrl } = await import("../scripts/postgres.mjs");
    url = runningDatabaseUrl(path.join(process.env.E2E_DATA_DIR!, "pg"));
  }
  const TIMESTAMP_OID: number = pg.types.builtins.TIMESTAMP;
  const types = {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      // timestamp without time zone holds UTC (as Prisma writes it): read it as UTC, not as local time
      oid === TIMESTAMP_OID
        ? (v: string) => new Date(`${v.replace(" ", "T")}Z`)
        : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  const query = async (sql: string, params: unknown[] = []) =>
    client.query(
      sql,
      params.map((p) => (p instanceof Date ? p.toISOString() : p)),
    );
  return {
    async one<T>(sql: string, params?: unknown[]) {
      const { rows } = await query(sql, params);
      if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${sql}`);
      return rows[0] as T;
    },
    async first<T>(sql: string, params?: unknown[]) {
      return (await query(sql, params)).rows[0] as T | undefined;
    },
    async all<T>(sql: string, params?: unknown[]) {
      return (await query(sql, params)).rows as T[];
    },
    async run(sql: string, params?: unknown[]) {
      return (await query(sql, params)).rowCount ?? 0;
    },
    close: () => client.end(),
  };
}

/** Fills the checkout form; the province choice loads its wards (with JavaScript by itself, else by the button). */
export async function fillCheckout(page: Page, who: { name: string; phone: string }, method: RegExp) {
  await page.getByLabel("Họ và tên").fill(who.name);
  await page.getByLabel("Số điện thoại").fill(who.phone);
  await page.getByLabel("Tỉnh / thành phố").selectOption({ label: "Sơn La" });
  await expect(page.getByLabel("Phường / xã").locator("option", { hasText: "Phường Mộc Châu" })).toHaveCount(1);
  await page.getByLabel("Phường / xã").selectOption({ label: "Phường Mộc Châu" });
  await page.getByLabel("Số nhà, đường / thôn, xóm").fill("Tổ 3, đường Lê Lợi");
  await page.getByLabel(method).check();
}

/** The 6-digit code of the newest sign-up / password-reset message to `recipient` (0xxxxxxxxx or e-mail), read from the outbox. */
export async function latestCode(recipient: string): Promise<string> {
  const db = await e2eDb();
  try {
    const row = await db.first<{ body: string }>(
      `SELECT body FROM "OutboxMessage" WHERE recipient = $1 AND secret ORDER BY "createdAt" DESC LIMIT 1`,
      [recipient],
    );
    const code = row && /\b(\d{6})\b/.exec(row.body)?.[1];
    if (!code) throw new Error(`no code sent to ${recipient}`);
    return code;
  } finally {
    await db.close();
  }
}

/** Signs up through the two steps (form, then the code from the outbox) and lands logged in. */
export async function signUp(
  page: Page,
  who: { accountType: "Người sản xuất" | "Người mua"; name: string; phone: string; password: string },
) {
  await page.goto("/signup");
  await page.getByLabel(who.accountType).check();
  await page.getByLabel("Họ và tên").fill(who.name);
  await page.getByLabel("Số điện thoại hoặc email").fill(who.phone);
  await page.getByLabel("Mật khẩu").fill(who.password);
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByText(`Chúng tôi đã gửi mã 6 chữ số tới ${who.phone}`)).toBeVisible();
  await page.getByLabel("Mã xác nhận (6 chữ số)").fill(await latestCode(who.phone));
  await page.getByRole("button", { name: "Xác nhận" }).click();
}
