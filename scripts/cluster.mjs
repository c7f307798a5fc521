#!/usr/bin/env node
// `npm run start:cluster [-- --instances N]`: the deployment shape on one machine. N app
// instances (build/server.js from server/, each with its own job worker) on one PostgreSQL (the
// embedded one unless DATABASE_URL is set), behind nginx on $PORT (default 3000).
// Instances that die are started again after a second, as a process manager would.
// The multi-instance tests use startCluster() from here with their own data folder.
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dataDir, projectRoot } from "./paths.mjs";
import { freePort } from "./postgres.mjs";

/** nginx from PATH or Debian's place; null when it is not installed. */
export function findNginx() {
  for (const candidate of [process.env.NGINX_BIN, "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"]) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  const which = spawnSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" });
  return which.status === 0 ? which.stdout.trim() : null;
}

export function nginxConfig({ port, upstreamPorts, prefix }) {
  const asRoot = process.getuid?.() === 0;
  return `# Written by scripts/cluster.mjs: nginx in front of the app instances.
${asRoot ? "user root;\n" : ""}worker_processes auto;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  client_max_body_size 12m;
  upstream ocop_app {
${upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join("\n")}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    listen [::1]:${port};
    location / {
      proxy_pass http://ocop_app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      # The app trusts this only from the proxies TRUST_PROXY names (loopback here).
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # A GET or HEAD that found an instance gone, or answering 503 (it cannot reach its
      # database, or its queue is full), is tried on the next one, and the instance is left
      # out for fail_timeout; a POST never is (nginx does not retry non-idempotent
      # requests), so nothing is submitted twice.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
    }
  }
}
`;
}

/** Waits until `url` answers 2xx (a server that is starting; /readyz: and reaches its database). */
export async function waitForHealth(url, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (
      await fetch(url)
        .then((r) => r.ok)
        .catch(() => false)
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

/**
 * Starts `instances` app servers and nginx in front of them. `env` must hold
 * DATABASE_URL and SESSION_SECRET (prepareApp does that). Returns the handles a test
 * needs: nginx's port, each instance (its port, id, pid; kill and start it again), stop().
 */
/**
 * @param {{ env: Record<string, string | undefined>, instances?: number, port?: number, prefix: string, restart?: boolean, log?: (msg: string) => void }} options
 */
export async function startCluster({ env, instances = 2, port, prefix, restart = true, log = (_msg) => {} }) {
  const nginx = findNginx();
  if (!nginx) throw new Error("nginx is not installed: `sudo apt-get install nginx` (Debian/Ubuntu), then run this again");
  fs.mkdirSync(path.join(prefix, "tmp"), { recursive: true });
  const nginxPort = port ?? (await freePort());
  let stopping = false;
  const members = [];
  for (let i = 1; i <= instances; i++) {
    /** @type {{ id: string, port: number, process: import("node:child_process").ChildProcess | null, exits: number, start: () => Promise<void>, kill: (signal?: NodeJS.Signals) => void }} */
    const member = { id: `app-${i}`, port: await freePort(), process: null, exits: 0, start: async () => {}, kill: () => {} };
    member.start = () => {
      member.process = spawn(process.execPath, ["build/server.js"], {
        cwd: projectRoot,
        env: {
          ...env,
          PORT: String(member.port),
          INSTANCE_ID: member.id,
          TRUST_PROXY: env.TRUST_PROXY ?? "loopback",
          APP_URL: env.APP_URL ?? `http://localhost:${nginxPort}`,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      member.process.stdout?.on("data", (d) => log(String(d).trimEnd()));
      member.process.stderr?.on("data", (d) => log(String(d).trimEnd()));
      member.process.on("exit", (code, signal) => {
        member.exits += 1;
        if (stopping) return;
        log(`[cluster] ${member.id} exited (${signal ?? code})${restart ? "; starting it again in 1 s" : ""}`);
        if (restart) setTimeout(() => !stopping && member.start(), 1000);
      });
      return waitForHealth(`http://127.0.0.1:${member.port}/readyz`);
    };
    member.kill = (signal = "SIGKILL") => void member.process?.kill(signal);
    members.push(member);
  }
  await Promise.all(members.map((m) => m.start()));
  const conf = path.join(prefix, "nginx.conf");
  fs.writeFileSync(conf, nginxConfig({ port: nginxPort, upstreamPorts: members.map((m) => m.port), prefix }));
  const proxy = spawn(nginx, ["-c", conf, "-p", prefix, "-g", "daemon off;"], { stdio: ["ignore", "inherit", "inherit"] });
  proxy.on("exit", (code) => !stopping && log(`[cluster] nginx exited (${code})`));
  await waitForHealth(`http://127.0.0.1:${nginxPort}/readyz`);
  return {
    port: nginxPort,
    instances: members,
    stop: async () => {
      stopping = true;
      proxy.kill("SIGQUIT");
      await Promise.all(
        members.map(
          (m) =>
            new Promise((resolve) => {
              if (!m.process || m.process.exitCode !== null || m.process.signalCode !== null) return resolve();
              m.process.once("exit", resolve);
              m.process.kill("SIGTERM");
            }),
        ),
      );
      await new Promise((resolve) => (proxy.exitCode !== null ? resolve() : proxy.once("exit", resolve)));
    },
  };
}

// As a command: prepare (build, database, demo data) and run until Ctrl-C.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const log = (msg) => console.log(msg.startsWith("[") ? msg : `[ocop-trace] ${msg}`);
  const at = process.argv.indexOf("--instances");
  const instances = Number(at > 0 ? process.argv[at + 1] : (process.env.INSTANCES ?? 2));
  if (!findNginx()) {
    console.error(
      "[ocop-trace] nginx is not installed. On Debian/Ubuntu: sudo apt-get install nginx — then run `npm run start:cluster` again.",
    );
    process.exit(1);
  }
  const { prepareApp } = await import("./prepare.mjs");
  const { env, database } = await prepareApp(log);
  const cluster = await startCluster({ env, instances, port: Number(env.PORT), prefix: path.join(dataDir(), "nginx"), log });
  log(
    `${instances} instances behind nginx on http://localhost:${cluster.port} (instances on ports ${cluster.instances.map((m) => m.port).join(", ")})`,
  );
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, async () => {
      await cluster.stop();
      await database.stop();
      process.exit(0);
    });
  }
}
