import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// The layering rule (.dependency-cruiser.cjs, `npm run check:layers`) must fail when it is
// broken: each case writes a tiny app/ (rules kept, or each one broken) and runs the checker on it.
const ROOT = path.resolve(__dirname, "..");
const CONFIG = path.join(ROOT, ".dependency-cruiser.cjs");
const DEPCRUISE = path.join(ROOT, "node_modules", ".bin", "depcruise");

function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layers-"));
  try {
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "~/*": ["./app/*"] } } }));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const roots = ["app", "server", "verifiers"].filter((d) => fs.existsSync(path.join(dir, d)));
    const run = spawnSync(DEPCRUISE, ["--config", CONFIG, ...roots], { cwd: dir, encoding: "utf8" });
    return { status: run.status, output: run.stdout + run.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const LIB = { "app/lib/time.ts": "export const day = 86_400_000;\n" };

describe("check:layers", { timeout: 60_000 }, () => {
  it("passes code that keeps the directions (routes → web → domain → lib)", () => {
    const run = cruise({
      ...LIB,
      "app/domain/orders/cart.server.ts": 'import { day } from "~/lib/time";\nexport const ttl = day;\n',
      "app/web/cart.server.ts": 'import { ttl } from "~/domain/orders/cart.server";\nexport const cookieAge = ttl;\n',
      "app/routes/cart.tsx": 'import { cookieAge } from "~/web/cart.server";\nexport const age = cookieAge;\n',
    });
    expect(run.output).toContain("no dependency violations");
    expect(run.status).toBe(0);
  });

  it("fails, naming each rule, when the rules are broken", () => {
    const run = cruise({
      ...LIB,
      // domain-knows-no-http
      "app/web/session.server.ts": "export const id = 1;\n",
      "app/domain/orders/cart.server.ts": 'import { id } from "~/web/session.server";\nexport const x = id;\n',
      // lib-is-leaf
      "app/domain/catalog/ocop.ts": "export const groups = 6;\n",
      "app/lib/fields.ts": 'import { groups } from "~/domain/catalog/ocop";\nexport const n = groups;\n',
      // no-circular
      "app/domain/a.server.ts": 'import { b } from "./b.server";\nexport const a = () => b;\n',
      "app/domain/b.server.ts": 'import { a } from "./a.server";\nexport const b = () => a;\n',
      // log-stands-alone
      "app/domain/trace/view.server.ts": "export const stale = 1;\n",
      "app/domain/log/leaves.server.ts": 'import { stale } from "~/domain/trace/view.server";\nexport const x = stale;\n',
      // components-no-server-values
      "app/domain/trace/page.server.ts": "export const limit = 3;\n",
      "app/components/page.tsx": 'import { limit } from "~/domain/trace/page.server";\nexport const n = limit;\n',
      // web-not-to-routes
      "app/routes/cart.tsx": "export const loader = 1;\n",
      "app/web/cart.server.ts": 'import { loader } from "~/routes/cart";\nexport const x = loader;\n',
      // server-uses-app-types-only
      "app/lib/env.server.ts": "export const port = 3000;\n",
      "server/index.ts": 'import { port } from "../app/lib/env.server";\nexport const p = port;\n',
      // verifiers-stand-alone
      "app/lib/canonical-json.ts": "export const c = 1;\n",
      "verifiers/log-verify.ts": 'import { c } from "../app/lib/canonical-json";\nexport const v = c;\n',
    });
    expect(run.status).not.toBe(0);
    for (const rule of [
      "domain-knows-no-http",
      "lib-is-leaf",
      "no-circular",
      "log-stands-alone",
      "components-no-server-values",
      "web-not-to-routes",
      "server-uses-app-types-only",
      "verifiers-stand-alone",
    ]) {
      expect(run.output, rule).toContain(rule);
    }
  });
});

describe("app/domain knows no HTTP", () => {
  // What an import graph cannot see: a domain function that takes a Request or builds a Response.
  const domainFiles = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return domainFiles(full);
      return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
    });

  it("takes no Request and builds no Response", () => {
    const offending = domainFiles(path.join(ROOT, "app", "domain")).filter((file) =>
      /\bRequest\b(?![-\w])|\bnew Response\(|\bResponse\.json\(/.test(
        fs.readFileSync(file, "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ""),
      ),
    );
    expect(offending.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
