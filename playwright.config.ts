import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { defineConfig, devices } from "@playwright/test";
import { E2E_STRIPE_WEBHOOK_SECRET } from "./e2e/stripe-secret";

// Journeys run against the production build on a free port with a throwaway
// database: `npm start` without DATABASE_URL starts the embedded PostgreSQL in
// E2E_DATA_DIR/pg, migrates it and seeds the demo data (so the demo admin exists).
// e2eDb() (e2e/fixtures.ts) finds that server through its postmaster.pid.
function freePort(): number {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  return Number(execFileSync(process.execPath, ["-e", script]).toString().trim());
}

// The config is evaluated again in each worker: keep the first choice.
process.env.E2E_PORT ??= String(freePort());
if (!process.env.E2E_DATA_DIR) {
  const dir = (process.env.E2E_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-e2e-")));
  // Only the runner gets here (workers inherit the variable). It exits after stopping the
  // webServer, hence the database: then the cluster goes too, unless the run failed (kept to look at).
  process.on("exit", (code) => {
    if (code === 0 && !fs.existsSync(path.join(dir, "pg", "postmaster.pid"))) fs.rmSync(dir, { recursive: true, force: true });
  });
}
process.env.E2E_STRIPE_PORT ??= String(freePort());
const port = Number(process.env.E2E_PORT);
const stripePort = Number(process.env.E2E_STRIPE_PORT);
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium where it exists (Playwright's browser download is blocked here);
// elsewhere Playwright's own browser after `npx playwright install chromium`.
const executablePath = process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "vi-VN",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "phone", use: { ...devices["Pixel 5"], browserName: "chromium" } }],
  webServer: [
    {
      // Stands in for stripe-mock (see test/stripe-double.ts); set STRIPE_API_BASE to a real one instead.
      command: `node_modules/.bin/tsx test/stripe-double.ts --port ${stripePort}`,
      port: stripePort,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "ignore",
    },
    {
      command: "node scripts/start.mjs",
      url: `${baseURL}/`,
      timeout: 180_000,
      reuseExistingServer: false,
      // Without this Playwright SIGKILLs the process group at the end (the postmaster
      // too, uncleanly). With SIGTERM start.mjs stops the app and the embedded PostgreSQL.
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      stdout: "ignore",
      stderr: "pipe",
      env: {
        PORT: String(port),
        APP_URL: baseURL,
        DATA_DIR: process.env.E2E_DATA_DIR,
        // Empty, not inherited from the shell: start.mjs then runs the embedded PostgreSQL in E2E_DATA_DIR/pg.
        DATABASE_URL: "",
        SESSION_SECRET: "e2e-secret",
        // Every journey comes from 127.0.0.1: one client address signing up dozens of users.
        RATE_LIMIT_SCALE: "50",
        // Every journey's shopper comes from 127.0.0.1: the unpaid cap per client would count them as one.
        UNPAID_LIMIT_VND: "1000000000",
        // Recall alerts go to the journeys' local push service (test/push-service-double.ts) on http://127.0.0.1.
        PUSH_ALLOW_INSECURE_ENDPOINTS: "1",
        STRIPE_SECRET_KEY: "sk_test_e2e",
        STRIPE_WEBHOOK_SECRET: E2E_STRIPE_WEBHOOK_SECRET,
        STRIPE_API_BASE: process.env.E2E_STRIPE_API_BASE ?? `http://127.0.0.1:${stripePort}`,
      },
    },
  ],
});
