import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../scripts/postgres.mjs";
import { waitForHealth } from "../../scripts/cluster.mjs";

/** One real app server (build/server.js, from server/) on this test file's database, without a job worker (`output` collects its lines). */
export async function startServer(
  extraEnv: Record<string, string> = {},
  without: string[] = [],
  output?: string[],
): Promise<{ base: string; proc: ChildProcess }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), JOBS: "off", ...extraEnv, NODE_ENV: "production" };
  for (const name of without) delete env[name];
  const proc = spawn(process.execPath, [path.resolve("build/server.js")], { env, stdio: output ? ["ignore", "pipe", "pipe"] : "ignore" });
  // The server's own lines, when the test reads them (how it died, what it logged).
  for (const stream of [proc.stdout, proc.stderr]) stream?.on("data", (d: Buffer) => output!.push(...String(d).trimEnd().split("\n")));
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(`${base}/healthz`, 15_000).catch((e: unknown) => {
    proc.kill();
    throw e;
  });
  return { base, proc };
}
