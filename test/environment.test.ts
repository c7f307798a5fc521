import path from "node:path";
import { spawn } from "node:child_process";
import { environmentProblems, setting } from "~/lib/env.server";
import { startServer } from "./cluster/server-process";

// The settings are checked once at start: a wrong value stops the server with a message
// naming it (build/server.js, against the production build).

function runServer(env: Record<string, string>, without: string[] = []): Promise<{ code: number | null; output: string }> {
  const full: NodeJS.ProcessEnv = { ...process.env, JOBS: "off", NODE_ENV: "production", ...env };
  for (const name of without) delete full[name];
  const proc = spawn(process.execPath, [path.resolve("build/server.js")], { env: full, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  proc.stdout.on("data", (c: Buffer) => (output += c.toString()));
  proc.stderr.on("data", (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill(), 15_000);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("environment", () => {
  const good = { DATABASE_URL: "postgresql://u:p@localhost:5432/db", SESSION_SECRET: "a-long-secret" };

  it("names each bad setting and what it must be", () => {
    expect(environmentProblems(good)).toEqual([]);
    expect(environmentProblems({ ...good, PORT: "80a" })).toEqual(["PORT: must be a whole number between 1 and 65535"]);
    expect(environmentProblems({ ...good, PORT: "70000" })).toEqual(["PORT: must be a whole number between 1 and 65535"]);
    expect(environmentProblems({ ...good, SESSION_SECRET: "" })[0]).toMatch(/^SESSION_SECRET: must not be empty/);
    expect(environmentProblems({ ...good, SESSION_SECRET: "new,,old" })[0]).toMatch(/^SESSION_SECRET: must not be empty/);
    expect(environmentProblems({ DATABASE_URL: good.DATABASE_URL })[0]).toMatch(/^SESSION_SECRET: is not set/);
    expect(environmentProblems({ ...good, APP_URL: "ocop.vn" })[0]).toMatch(/^APP_URL: must be a URL/);
    expect(environmentProblems({ ...good, SMS_WEBHOOK_URL: "ftp://gw" })[0]).toMatch(/^SMS_WEBHOOK_URL: must start with http/);
    expect(environmentProblems({ ...good, RATE_LIMIT_SCALE: "-1" })).toEqual(["RATE_LIMIT_SCALE: must be a positive number"]);
    expect(environmentProblems({ ...good, JOBS: "maybe" })).toEqual(['JOBS: must be "on" or "off"']);
    // Empty means unset for the optional ones (Playwright passes DATABASE_URL="" to npm start).
    expect(environmentProblems({ ...good, APP_URL: "", STRIPE_SECRET_KEY: "" })).toEqual([]);
  });

  it("gives typed values with defaults", () => {
    const saved = process.env.PORT;
    delete process.env.PORT;
    try {
      expect(setting("PORT")).toBe(3000);
      process.env.PORT = "8080";
      expect(setting("PORT")).toBe(8080);
      process.env.SESSION_SECRET = "moi-nhat, cu-hon ";
      expect(setting("SESSION_SECRET")).toEqual(["moi-nhat", "cu-hon"]);
      process.env.PORT = "nope";
      expect(() => setting("PORT")).toThrow("PORT: must be a whole number between 1 and 65535");
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
      process.env.SESSION_SECRET = "test-secret-not-for-production";
    }
  });

  it("a real server started with a bad setting exits non-zero, naming it", async () => {
    const badPort = await runServer({ PORT: "80a" });
    expect(badPort.code).not.toBe(0);
    expect(badPort.output).toContain("PORT: must be a whole number between 1 and 65535");
    const emptySecret = await runServer({ PORT: "0", SESSION_SECRET: "" });
    expect(emptySecret.code).not.toBe(0);
    expect(emptySecret.output).toContain("SESSION_SECRET: must not be empty");
    expect(emptySecret.output).toContain("PORT: must be a whole number between 1 and 65535");
    const noSecret = await runServer({}, ["SESSION_SECRET"]);
    expect(noSecret.code).not.toBe(0);
    expect(noSecret.output).toContain("SESSION_SECRET: is not set");
  }, 60_000);

  it("a good environment still serves", async () => {
    const { base, proc } = await startServer({ SESSION_SECRET: "new-secret,old-secret" });
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      proc.kill();
    }
  }, 30_000);
});
