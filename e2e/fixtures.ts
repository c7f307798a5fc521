import { test as base, expect } from "@playwright/test";

// Every journey also fails on any uncaught error in the browser (hydration
// mismatches, a server-only value that is undefined in the bundle, …).
export const test = base.extend<{ failOnPageErrors: void }>({
  failOnPageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await use();
      expect(errors, "uncaught errors in the page").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Page } from "@playwright/test";
