import fs from "node:fs";
import path from "node:path";

// A value imported from a *.server module is undefined in the browser bundle. If a
// route's component uses one, the page renders on the server and breaks on
// hydration. This walks every route and UI module for that mistake.
function modules(): string[] {
  return ["app/routes", "app/components"]
    .flatMap((dir) =>
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".tsx"))
        .map((f) => path.join(dir, f)),
    )
    .concat("app/root.tsx");
}

describe("browser code uses nothing from *.server modules", () => {
  it.each(modules())("%s", (file) => {
    const source = fs.readFileSync(file, "utf8");
    const names: string[] = [];
    for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]*\.server)"/g)) {
      for (const part of m[1]!.split(",")) {
        const name = part
          .replace(/\btype\b/, "")
          .split(" as ")
          .pop()!
          .trim();
        if (name && !part.trim().startsWith("type ")) names.push(name);
      }
    }
    const start = source.indexOf("export default function");
    if (start < 0 || names.length === 0) return;
    // The component and everything after it, without string literals (keys like "signup.title").
    const ui = source.slice(start).replace(/"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'/g, '""');
    const used = names.filter((n) => new RegExp(`\\b${n}\\b`).test(ui));
    expect(used).toEqual([]);
  });
});
