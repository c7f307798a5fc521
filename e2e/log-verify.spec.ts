import { expect, test, type Page } from "./fixtures";

// The shopper's phone checks the demo batch against the public log itself (public/log-verify.js:
// SHA-256 of each leaf, its inclusion proof up to the signed root, the checkpoint's Ed25519
// signature), and notices when the answer it is given was tampered with on the way.

const DEMO_CODE = "CHETANCVNG2345ABCD";

type BatchLog = { pending: unknown[]; leaves: { index: number; leaf: string }[] };

async function demoBatchId(page: Page): Promise<string> {
  const trace = (await (await page.request.get(`/api/v1/trace/${DEMO_CODE}`)).json()) as { batch: { id: string } };
  // The seed sequences the demo history; anything written since is sequenced within a second or two.
  await expect
    .poll(async () => ((await (await page.request.get(`/api/v1/batches/${trace.batch.id}/log`)).json()) as BatchLog).pending.length, {
      timeout: 20_000,
    })
    .toBe(0);
  return trace.batch.id;
}

test("the phone recomputes every entry of the demo batch and the checkpoint signature: all ✓", async ({ page }) => {
  const id = await demoBatchId(page);
  await page.goto(`/verify/batch/${id}`);
  const section = page.locator("#log-check");
  await expect(section).toHaveAttribute("data-state", "ok");
  const entries = section.locator("li[data-log-index]");
  const n = await entries.count();
  expect(n).toBeGreaterThan(3);
  await expect(page.locator("#log-check-summary")).toHaveText(
    `✓ Máy của bạn đã tự kiểm tra ${n} bản ghi: tất cả nằm trong cây mà mốc công bố ký.`,
  );
  await expect(page.locator("#log-check-signature")).toHaveText("✓ Chữ ký của mốc công bố hợp lệ với khóa công khai của sổ.");
  for (let i = 0; i < n; i++) {
    const index = await entries.nth(i).getAttribute("data-log-index");
    await expect(entries.nth(i).locator("[data-log-result]")).toHaveText(
      `✓ Máy của bạn đã kiểm tra: bản ghi số ${index} nằm trong cây đã ký.`,
    );
  }
});

test("an entry changed on its way to the phone is flagged ✗ by number, the others stay ✓", async ({ page }) => {
  const id = await demoBatchId(page);
  let changedIndex = -1;
  await page.route(`**/api/v1/batches/${id}/log`, async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as BatchLog;
    const target = body.leaves[1]!;
    changedIndex = target.index;
    // One fact changed in the leaf text, as a tampering server or proxy would.
    target.leaf = target.leaf.replace(/"type":"(\w+)"/, '"type":"$1","x":1');
    await route.fulfill({ response, json: body });
  });
  await page.goto(`/verify/batch/${id}`);
  const section = page.locator("#log-check");
  await expect(section).toHaveAttribute("data-state", "bad");
  await expect(page.locator("#log-check-summary")).toHaveText("✗ Máy của bạn thấy 1 bản ghi KHÔNG khớp với cây đã ký.");
  await expect(section.locator(`li[data-log-index="${changedIndex}"] [data-log-result]`)).toHaveText(
    `✗ Máy của bạn thấy bản ghi số ${changedIndex} KHÔNG khớp với cây đã ký.`,
  );
  await expect(section.locator('li[data-log-ok="true"]')).toHaveCount((await section.locator("li[data-log-index]").count()) - 1);
  // The signature is over the checkpoint, which was not touched.
  await expect(page.locator("#log-check-signature")).toHaveText("✓ Chữ ký của mốc công bố hợp lệ với khóa công khai của sổ.");
});
