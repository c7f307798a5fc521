import { codeRows, type CodeRow } from "./code-rows.server";

// Concurrent scans look their codes up together. A lookup asked while another query of
// lookups is out waits for it to come back, then goes with every other one asked
// meanwhile, in one query: under load a scan costs a share of one round trip instead of
// one of its own. The query always starts after the scan arrived, so what it reads (the
// batch's view version, the code's status) is as fresh as a lookup of its own would be:
// a hold or recall committed before the scan shows on it, on every instance.
type Lookup = { resolve: (row: CodeRow | undefined) => void; reject: (error: unknown) => void };
const lookups = new Map<string, Lookup[]>();
let lookingUp = false;
const MAX_LOOKUPS_PER_QUERY = 500;

export function lookUpCode(code: string): Promise<CodeRow | undefined> {
  return new Promise((resolve, reject) => {
    const waiting = lookups.get(code);
    if (waiting) waiting.push({ resolve, reject });
    else lookups.set(code, [{ resolve, reject }]);
    if (!lookingUp) void lookUpWaiting();
  });
}

async function lookUpWaiting() {
  lookingUp = true;
  try {
    while (lookups.size > 0) {
      const group = new Map<string, Lookup[]>();
      for (const [code, waiting] of lookups) {
        group.set(code, waiting);
        lookups.delete(code);
        if (group.size >= MAX_LOOKUPS_PER_QUERY) break;
      }
      try {
        const found = new Map((await codeRows({ codes: [...group.keys()] })).map((row) => [row.code, row]));
        for (const [code, waiting] of group) for (const w of waiting) w.resolve(found.get(code));
      } catch (error) {
        for (const waiting of group.values()) for (const w of waiting) w.reject(error);
      }
    }
  } finally {
    lookingUp = false;
  }
}
