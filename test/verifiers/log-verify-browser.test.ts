import fs from "node:fs";
import vm from "node:vm";
import { parse } from "acorn";
import { leafHash as nodeLeafHash, signNote } from "../../verifiers/tlog.mjs";
import { LogDouble } from "../log-double";
import { vi as viText } from "../../app/i18n/messages";
import { logVectors } from "../log-vectors";

// public/log-verify.js is the check a shopper's browser runs. It is a classic script, so it is
// loaded here the way a browser would (one global scope, no modules) in a node vm context
// whose crypto.subtle is node's WebCrypto, then run against Go's vectors, against a double of
// the log endpoints, and on a small fake of the page's DOM contract. (The test lives outside
// public/: everything in public/ is served to the world.)

const SOURCE = fs.readFileSync("public/log-verify.js", "utf8");

type Api = {
  b64(t: string): Uint8Array | null;
  leafHash(t: string): Promise<Uint8Array>;
  verifyInclusion(i: number, n: number, h: Uint8Array, proof: string[], root: Uint8Array): Promise<boolean>;
  parseCheckpoint(t: string): { origin: string; size: number; rootB64: string; body: string } | null;
  parseKey(vkey: string): Promise<{ name: string } | null>;
  verifySignature(cp: unknown, keys: unknown[]): Promise<"ok" | "bad" | "unsupported">;
  checkBatchLog(
    answer: unknown,
    keys: string,
  ): Promise<{ ok: boolean; checkpointOk: boolean; signature: string; leaves: { index: number; ok: boolean }[] }>;
  run(section: FakeElement): Promise<unknown>;
};

function load(globals: Record<string, unknown> = {}): Api {
  const context = vm.createContext({ crypto: globalThis.crypto, atob, TextEncoder, setTimeout, ...globals });
  vm.runInContext(SOURCE, context, { filename: "log-verify.js" });
  return context.OcopLogVerify as Api;
}

const v = logVectors();
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, "base64"));
function flip(b64: string, at: number) {
  const b = Buffer.from(b64, "base64");
  b[at % b.length] = b[at % b.length]! ^ 1;
  return b.toString("base64");
}

/** Just enough DOM for the contract: attributes, textContent, querySelector(All) by the selectors the script uses. */
class FakeElement {
  textContent = "";
  children: FakeElement[] = [];
  constructor(
    public attrs: Record<string, string> = {},
    public id = "",
  ) {}
  getAttribute(n: string) {
    return n in this.attrs ? this.attrs[n]! : null;
  }
  setAttribute(n: string, value: string) {
    this.attrs[n] = value;
  }
  private all(): FakeElement[] {
    return this.children.flatMap((c) => [c, ...c.all()]);
  }
  querySelector(sel: string) {
    return this.querySelectorAll(sel)[0] ?? null;
  }
  querySelectorAll(sel: string) {
    if (sel.startsWith("#")) return this.all().filter((e) => e.id === sel.slice(1));
    const attr = /\[([\w-]+)\]$/.exec(sel)![1]!;
    return this.all().filter((e) => attr in e.attrs);
  }
}

/** The DOM of /verify/batch/{id} (app/routes/verify.batch.$id.tsx) with its Vietnamese texts. */
function page(batchId: string, indices: number[]) {
  const section = new FakeElement(
    {
      "data-batch-id": batchId,
      "data-msg-checking": viText["verifyBatch.checking"],
      "data-msg-ok": viText["verifyBatch.browserOk"],
      "data-msg-bad": viText["verifyBatch.browserBad"],
      "data-msg-all-ok": viText["verifyBatch.browserAllOk"],
      "data-msg-some-bad": viText["verifyBatch.browserSomeBad"],
      "data-msg-unsupported": viText["verifyBatch.unsupported"],
      "data-msg-sig-ok": viText["verifyBatch.sigOk"],
      "data-msg-sig-bad": viText["verifyBatch.sigBad"],
      "data-msg-sig-unsupported": viText["verifyBatch.sigUnsupported"],
    },
    "log-check",
  );
  const summary = new FakeElement({ role: "status" }, "log-check-summary");
  summary.textContent = "server text";
  const signature = new FakeElement({}, "log-check-signature");
  section.children.push(summary, signature);
  const results = indices.map((i) => {
    const li = new FakeElement({ "data-log-index": String(i) });
    const span = new FakeElement({ "data-log-result": "" });
    span.textContent = "server text";
    li.children.push(span);
    section.children.push(li);
    return { li, span };
  });
  return { section, summary, signature, results };
}
const okText = (i: number) => `✓ Máy của bạn đã kiểm tra: bản ghi số ${i} nằm trong cây đã ký.`;
const badText = (i: number) => `✗ Máy của bạn thấy bản ghi số ${i} KHÔNG khớp với cây đã ký.`;

describe("public/log-verify.js", () => {
  it("is an ES2019 classic script under 200 lines", () => {
    expect(() => parse(SOURCE, { ecmaVersion: 2019, sourceType: "script" })).not.toThrow();
    // The parser does refuse newer syntax: the check is not vacuous.
    expect(() => parse("var a = b?.c;", { ecmaVersion: 2019, sourceType: "script" })).toThrow();
    expect(SOURCE.split("\n").length).toBeLessThan(200);
  });

  it("verifies every one of Go's inclusion proofs and refuses each with a byte changed", async () => {
    const api = load();
    for (const { Index, Size, hashes } of v.inclusion) {
      const leaf = bytes(v.leafHashes[Index]!);
      const root = bytes(v.roots[String(Size)]!);
      expect(await api.verifyInclusion(Index, Size, leaf, hashes, root), `${Index}/${Size}`).toBe(true);
      expect(await api.verifyInclusion(Index, Size, leaf, hashes, bytes(flip(v.roots[String(Size)]!, 3))), `${Index}/${Size} root`).toBe(
        false,
      );
      expect(await api.verifyInclusion(Index, Size, bytes(flip(v.leafHashes[Index]!, 7)), hashes, root), `${Index}/${Size} leaf`).toBe(
        false,
      );
      for (let k = 0; k < hashes.length; k++) {
        expect(
          await api.verifyInclusion(
            Index,
            Size,
            leaf,
            hashes.map((h, j) => (j === k ? flip(h, k) : h)),
            root,
          ),
          `${Index}/${Size} hash ${k}`,
        ).toBe(false);
      }
      expect(await api.verifyInclusion(Index, Size * 2, leaf, hashes, root), `${Index}/${Size} as ${Size * 2}`).toBe(false);
    }
  });

  it("hashes leaf text as UTF-8 like the node library", async () => {
    const api = load();
    for (const text of ['{"type":"Batch","id":"b1"}', "Nước mắm Phú Quốc 🐟", ""]) {
      expect(Buffer.from(await api.leafHash(text)).equals(nodeLeafHash(text))).toBe(true);
    }
  });

  it("parses Go's checkpoint and key, verifies the Ed25519 signature, refuses a changed body or a key with a wrong hash", async () => {
    const api = load();
    const { signedCheckpoint, verifierKey, ed25519SeedHex, checkpointBody } = v.signedNote;
    const cp = api.parseCheckpoint(signedCheckpoint)!;
    expect(cp).toMatchObject({ origin: "example.test/log", size: 8, rootB64: v.roots["8"] });
    const key = await api.parseKey(verifierKey);
    expect(key).toMatchObject({ name: "example.test/log" });
    expect(await api.parseKey(verifierKey.replace("b2e16d9b", "b2e16d9a"))).toBeNull();
    expect(await api.verifySignature(cp, [key])).toBe("ok");
    const changed = api.parseCheckpoint(signedCheckpoint.replace("\n8\n", "\n9\n"))!;
    expect(await api.verifySignature(changed, [key])).toBe("bad");
    // Signed by the right name but another key: no matching key hash.
    const other = api.parseCheckpoint(signNote(checkpointBody, "example.test/log", Buffer.alloc(32, 5)))!;
    expect(await api.verifySignature(other, [key])).toBe("bad");
    expect(api.parseCheckpoint(signedCheckpoint.slice(0, -1))).toBeNull();
    expect(api.parseCheckpoint(checkpointBody)).toBeNull();
    expect(Buffer.from(ed25519SeedHex, "hex")).toHaveLength(32);
  });

  it("says 'unsupported' when the browser has no Ed25519 in WebCrypto", async () => {
    const subtle = globalThis.crypto.subtle;
    const noEd25519 = {
      subtle: {
        digest: subtle.digest.bind(subtle),
        importKey: () => Promise.reject(new Error("NotSupportedError")),
        verify: subtle.verify.bind(subtle),
      },
    };
    const api = load({ crypto: noEd25519 });
    const cp = api.parseCheckpoint(v.signedNote.signedCheckpoint);
    expect(await api.verifySignature(cp, [await api.parseKey(v.signedNote.verifierKey)])).toBe("unsupported");
  });

  describe("against a double of the log endpoints and the page's DOM contract", () => {
    let log: LogDouble;
    beforeEach(async () => {
      log = await new LogDouble().start();
      log.append({ type: "Batch", recordId: "o1", leaf: '{"type":"Batch","id":"o1"}' });
      log.addBatch();
      log.addEvent({
        id: "e1",
        kind: "HARVEST",
        occurredAt: "2026-11-20T08:00:00.000Z",
        place: "Phú Quốc",
        data: { kg: 5 },
        correctsId: null,
      });
      log.append({ type: "Batch", recordId: "o2", leaf: '{"type":"Batch","id":"o2"}' });
      log.addEvent({ id: "e2", kind: "PACKING", occurredAt: "2026-11-21T08:00:00.000Z", place: null, data: {}, correctsId: null });
      log.publish();
    });
    afterEach(() => log.stop());
    const answer = async () => (await fetch(`${log.base}/api/v1/batches/batch-1/log`)).json();
    const keys = async () => (await fetch(`${log.base}/log/keys`)).text();

    it("checkBatchLog passes an honest answer and flags exactly the changed leaf, a wrong root or a foreign signature", async () => {
      const api = load();
      const honest = await api.checkBatchLog(await answer(), await keys());
      expect(honest).toMatchObject({ ok: true, checkpointOk: true, signature: "ok" });
      expect(honest.leaves.map((l) => [l.index, l.ok])).toEqual([
        [1, true],
        [2, true],
        [4, true],
      ]);

      const a = await answer();
      a.leaves[1].leaf = a.leaves[1].leaf.replace("Phú Quốc", "Phu Quoc");
      const changed = await api.checkBatchLog(a, await keys());
      expect(changed.ok).toBe(false);
      expect(changed.leaves.map((l) => l.ok)).toEqual([true, false, true]);

      const b = await answer();
      b.rootHash = flip(b.rootHash, 0);
      expect((await api.checkBatchLog(b, await keys())).leaves.every((l) => !l.ok)).toBe(true);

      log.publish(Buffer.alloc(32, 3));
      const foreign = await api.checkBatchLog(await answer(), await keys());
      expect(foreign).toMatchObject({ ok: false, signature: "bad" });
      // Proofs to a root nobody vouches for prove nothing: every leaf is unproven.
      expect(foreign.leaves.map((l) => l.ok)).toEqual([false, false, false]);
    });

    it("run() writes ✓ per leaf and the signature summary, and ✗ with the leaf index when the page shows a leaf the log does not prove", async () => {
      const api = load({ fetch: (url: string) => fetch(`${log.base}${url}`) });
      const { section, summary, signature, results } = page("batch-1", [1, 2, 4]);
      await api.run(section);
      expect(results.map((r) => r.span.textContent)).toEqual([okText(1), okText(2), okText(4)]);
      expect(summary.textContent).toBe("✓ Máy của bạn đã tự kiểm tra 3 bản ghi: tất cả nằm trong cây mà mốc công bố ký.");
      expect(signature.textContent).toBe(viText["verifyBatch.sigOk"]);
      expect(section.getAttribute("data-state")).toBe("ok");

      const p2 = page("batch-1", [1, 3]);
      await api.run(p2.section);
      expect(p2.results.map((r) => r.span.textContent)).toEqual([okText(1), badText(3)]);
      expect(p2.summary.textContent).toBe("✗ Máy của bạn thấy 1 bản ghi KHÔNG khớp với cây đã ký.");
      expect(p2.section.getAttribute("data-state")).toBe("bad");

      // A checkpoint signed by a key /log/keys does not list.
      log.publish(Buffer.alloc(32, 4));
      const p3 = page("batch-1", [1, 2, 4]);
      await api.run(p3.section);
      expect(p3.signature.textContent).toBe(viText["verifyBatch.sigBad"]);
      expect(p3.summary.textContent).toBe("✗ Máy của bạn thấy 3 bản ghi KHÔNG khớp với cây đã ký.");
    });

    it("run() marks every leaf bad when the log's answer was rewritten, and leaves the server text when the log is unreachable", async () => {
      log.leaves[2] = { ...log.leaves[2]!, leaf: log.leaves[2]!.leaf.replace('"kg":5', '"kg":50') };
      const api = load({ fetch: (url: string) => fetch(`${log.base}${url}`) });
      const { section, summary, results } = page("batch-1", [1, 2, 4]);
      await api.run(section);
      // Leaf 2's hash is inside every other leaf's audit path: none leads to the signed root now.
      expect(results.map((r) => r.span.textContent)).toEqual([badText(1), badText(2), badText(4)]);
      expect(summary.textContent).toBe("✗ Máy của bạn thấy 3 bản ghi KHÔNG khớp với cây đã ký.");
      expect(section.getAttribute("data-state")).toBe("bad");

      const offline = load({ fetch: () => Promise.reject(new TypeError("Failed to fetch")) });
      const p2 = page("batch-1", [1]);
      await expect(offline.run(p2.section)).resolves.toBeNull();
      expect(p2.results[0]!.span.textContent).toBe("server text");
      expect(p2.section.getAttribute("data-state")).toBe("error");
    });

    it("run() in a browser without Ed25519: the hashing verdict stands and the signature line says it could not check", async () => {
      const subtle = globalThis.crypto.subtle;
      const crypto = { subtle: { digest: subtle.digest.bind(subtle), importKey: () => Promise.reject(new Error("NotSupportedError")) } };
      const api = load({ crypto, fetch: (url: string) => fetch(`${log.base}${url}`) });
      const { section, summary, signature } = page("batch-1", [1, 2, 4]);
      await api.run(section);
      expect(summary.textContent).toBe("✓ Máy của bạn đã tự kiểm tra 3 bản ghi: tất cả nằm trong cây mà mốc công bố ký.");
      expect(signature.textContent).toBe(viText["verifyBatch.sigUnsupported"]);
      expect(section.getAttribute("data-state")).toBe("sig-unsupported");
    });

    it("on a Remix page it writes nothing until React has hydrated the section (else React would re-render over it)", async () => {
      const api = load({ fetch: (url: string) => fetch(`${log.base}${url}`), __remixContext: {} });
      const { section, summary, results } = page("batch-1", [1, 2, 4]);
      const done = api.run(section);
      await new Promise((r) => setTimeout(r, 300));
      // The check itself has run meanwhile; the page is untouched.
      expect(summary.textContent).toBe("server text");
      expect(results[0]!.span.textContent).toBe("server text");
      expect(section.getAttribute("data-state")).toBeNull();
      // What React's hydration leaves on every element it adopted.
      (section as unknown as Record<string, unknown>)["__reactFiber$x1y2z3"] = {};
      await done;
      expect(summary.textContent).toBe("✓ Máy của bạn đã tự kiểm tra 3 bản ghi: tất cả nằm trong cây mà mốc công bố ký.");
      expect(results[0]!.span.textContent).toBe(okText(1));
    });

    it("without crypto.subtle (an insecure context) it writes the unsupported message and nothing else", async () => {
      const api = load({ crypto: {}, fetch: () => Promise.reject(new Error("must not fetch")) });
      const { section, summary, results } = page("batch-1", [1]);
      await api.run(section);
      expect(summary.textContent).toBe(viText["verifyBatch.unsupported"]);
      expect(results[0]!.span.textContent).toBe("server text");
      expect(section.getAttribute("data-state")).toBeNull();
    });

    it("runs by itself on a page with section#log-check, and loads without throwing on a page without it", async () => {
      const { section, summary } = page("batch-1", [1, 2, 4]);
      const document = {
        readyState: "complete",
        getElementById: (id: string) => (id === "log-check" ? section : null),
        addEventListener() {},
      };
      load({ fetch: (url: string) => fetch(`${log.base}${url}`), document, window: undefined });
      await vi.waitFor(() =>
        expect(summary.textContent).toBe("✓ Máy của bạn đã tự kiểm tra 3 bản ghi: tất cả nằm trong cây mà mốc công bố ký."),
      );
      expect(() => load({ document: { readyState: "complete", getElementById: () => null } })).not.toThrow();
      expect(() => load({ TextEncoder: undefined, crypto: undefined })).not.toThrow();
    });
  });
});
