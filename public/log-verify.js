/* The shopper's own check of a batch against the public transparency log (RFC 6962 proofs, a
 * C2SP signed checkpoint), run in the browser with crypto.subtle: the page's verdict is
 * server text, this script recomputes it. A classic script (ES2019, no build step) for
 * /verify/batch/{id}; DOM contract: section#log-check[data-batch-id][data-msg-*] holding
 * p#log-check-summary, p#log-check-signature and li[data-log-index] > [data-log-result];
 * messages: ok/bad ({index}), all-ok/some-bad ({n}), checking, unsupported, sig-ok/-bad/-unsupported. Its pure functions are
 * exposed as OcopLogVerify (test/verifiers/log-verify-browser.test.ts runs them in node). Never throws. */
(function (root) {
  "use strict";
  // A browser without TextEncoder must still load this file without throwing.
  var enc = typeof TextEncoder !== "undefined" ? new TextEncoder() : null;

  function b64(text) {
    if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) return null;
    var bin = atob(text), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function concat(parts) {
    var n = 0, i, off = 0;
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    var out = new Uint8Array(n);
    for (i = 0; i < parts.length; i++) { out.set(parts[i], off); off += parts[i].length; }
    return out;
  }
  function same(a, b) {
    if (!a || !b || a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  function sha256(bytes) {
    return root.crypto.subtle.digest("SHA-256", bytes).then(function (d) { return new Uint8Array(d); });
  }
  /** RFC 6962: SHA-256(0x00 || UTF-8 bytes of the leaf text). */
  function leafHash(text) { return sha256(concat([new Uint8Array([0]), enc.encode(text)])); }
  function nodeHash(l, r) { return sha256(concat([new Uint8Array([1]), l, r])); }

  /** RFC 9162 §2.1.3.2, with arithmetic instead of bit operators (sizes beyond 2^31). */
  async function verifyInclusion(index, size, hash, proof, rootHash) {
    if (!(index >= 0 && index < size) || index % 1 || size % 1 || !Array.isArray(proof)) return false;
    var fn = index, sn = size - 1, r = hash;
    for (var i = 0; i < proof.length; i++) {
      var p = b64(proof[i]);
      if (!p || p.length !== 32 || sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(p, r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, p);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && same(r, rootHash);
  }

  /** C2SP signed checkpoint: body (origin, size, root, extensions) and signature lines; null if malformed. */
  function parseCheckpoint(text) {
    if (typeof text !== "string" || text.slice(-1) !== "\n") return null;
    var split = text.lastIndexOf("\n\n");
    if (split < 0) return null;
    var body = text.slice(0, split + 1), lines = body.slice(0, -1).split("\n");
    var sigs = text.slice(split + 2, -1).split("\n").map(function (l) {
      var m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(l);
      return m ? { name: m[1], bytes: b64(m[2]) } : null;
    });
    var rootHash = b64(lines[2] || "");
    if (lines.length < 3 || !lines[0] || !/^(0|[1-9][0-9]*)$/.test(lines[1]) || !rootHash || rootHash.length !== 32) return null;
    if (sigs.some(function (s) { return !s || !s.bytes || s.bytes.length < 5; })) return null;
    return { origin: lines[0], size: Number(lines[1]), root: rootHash, rootB64: lines[2], body: body, sigs: sigs };
  }

  /** `name+hash+base64(0x01 || key)` with its key hash checked; null otherwise. */
  async function parseKey(vkey) {
    var m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(String(vkey).trim());
    var key = m && b64(m[3]);
    if (!key || key.length !== 33 || key[0] !== 1) return null;
    var h = await sha256(concat([enc.encode(m[1] + "\n"), key]));
    var hex = Array.prototype.map.call(h.subarray(0, 4), function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return hex === m[2] ? { name: m[1], hash: h.subarray(0, 4), pub: key.subarray(1) } : null;
  }

  /** "ok" | "bad" | "unsupported" (the browser lacks Ed25519 in WebCrypto). */
  async function verifySignature(cp, keys) {
    var sig = null, key = null;
    cp.sigs.forEach(function (s) {
      keys.forEach(function (k) { if (!sig && k && s.name === k.name && k.name === cp.origin && same(s.bytes.subarray(0, 4), k.hash)) { sig = s; key = k; } });
    });
    if (!sig || sig.bytes.length !== 68) return "bad";
    var imported;
    try {
      imported = await root.crypto.subtle.importKey("raw", key.pub, { name: "Ed25519" }, false, ["verify"]);
    } catch { return "unsupported"; }
    try {
      return (await root.crypto.subtle.verify({ name: "Ed25519" }, imported, sig.bytes.subarray(4), enc.encode(cp.body))) ? "ok" : "bad";
    } catch { return "unsupported"; }
  }

  /** Checks a GET /api/v1/batches/{id}/log answer against the log keys text (one vkey a line). */
  async function checkBatchLog(answer, keysText) {
    var cp = parseCheckpoint(answer && answer.checkpoint);
    var keys = await Promise.all(String(keysText || "").split("\n").filter(Boolean).map(parseKey));
    var checkpointOk = !!cp && cp.size === answer.size && cp.rootB64 === answer.rootHash;
    var signature = checkpointOk ? await verifySignature(cp, keys) : "bad";
    var leaves = [];
    var list = answer && Array.isArray(answer.leaves) ? answer.leaves : [];
    for (var i = 0; i < list.length; i++) {
      var l = list[i], ok = false;
      if (checkpointOk && typeof l.leaf === "string") {
        var h = await leafHash(l.leaf);
        ok = same(h, b64(l.leafHash)) && (await verifyInclusion(l.index, cp.size, h, l.inclusionProof, cp.root));
      }
      leaves.push({ index: l.index, ok: ok && signature !== "bad" });
    }
    return { checkpointOk: checkpointOk, signature: signature, leaves: leaves, ok: checkpointOk && signature !== "bad" && leaves.every(function (x) { return x.ok; }) };
  }

  function fetchOk(url, as) {
    return root.fetch(url, { credentials: "omit" }).then(function (res) {
      if (!res.ok) throw new Error(url + " " + res.status);
      return res[as]();
    });
  }

  /** Resolves once React has hydrated `el` (its fiber is attached): text written earlier would
   *  not match the server HTML and React would re-render the page, wiping it. Pages without
   *  Remix, or a bundle that never loads (30 s), do not wait. */
  function whenHydrated(el) {
    return new Promise(function (resolve) {
      var since = Date.now();
      (function poll() {
        if (!root.__remixContext || Date.now() - since > 30000 || Object.keys(el).some(function (k) { return k.indexOf("__reactFiber$") === 0; })) resolve();
        else setTimeout(poll, 50);
      })();
    });
  }

  /** Runs the check for section#log-check and writes the results; resolves to the result or null. */
  async function run(section) {
    var summary = section.querySelector("#log-check-summary");
    var sigLine = section.querySelector("#log-check-signature");
    var msg = function (name, key, value) { return (section.getAttribute("data-msg-" + name) || "").split("{" + key + "}").join(String(value)); };
    var say = function (text) { if (summary) summary.textContent = text; };
    if (!root.crypto || !root.crypto.subtle || !enc) { await whenHydrated(section); say(msg("unsupported")); return null; }
    var id = section.getAttribute("data-batch-id");
    // The check runs while the page hydrates; the page is written only after.
    var checking = Promise.all([fetchOk("/api/v1/batches/" + encodeURIComponent(id) + "/log", "json"), fetchOk("/log/keys", "text")]).then(function (both) { return checkBatchLog(both[0], both[1]); });
    checking.catch(function () {});
    await whenHydrated(section);
    say(msg("checking"));
    section.setAttribute("data-state", "checking");
    try {
      var result = await checking;
      var byIndex = {}, bad = [], checked = 0;
      result.leaves.forEach(function (l) { byIndex[l.index] = l.ok; });
      Array.prototype.forEach.call(section.querySelectorAll("li[data-log-index]"), function (li) {
        var index = li.getAttribute("data-log-index"), ok = byIndex[index] === true, out = li.querySelector("[data-log-result]");
        checked++;
        if (!ok) bad.push(index);
        if (out) out.textContent = msg(ok ? "ok" : "bad", "index", index);
        li.setAttribute("data-log-ok", ok ? "true" : "false");
      });
      // Leaves the answer proves wrong but the page does not list still count against it.
      result.leaves.forEach(function (l) { if (!l.ok && bad.indexOf(String(l.index)) < 0) bad.push(String(l.index)); });
      var sig = msg(result.signature === "ok" ? "sig-ok" : result.signature === "bad" ? "sig-bad" : "sig-unsupported");
      var allOk = result.ok && bad.length === 0;
      say((allOk ? msg("all-ok", "n", checked) : msg("some-bad", "n", bad.length)) + (sigLine ? "" : " " + sig));
      if (sigLine) sigLine.textContent = sig;
      section.setAttribute("data-state", allOk ? (result.signature === "ok" ? "ok" : "sig-unsupported") : "bad");
      return result;
    } catch {
      // Offline or the log is down: the server's text stays; nothing is claimed either way.
      section.setAttribute("data-state", "error");
      return null;
    }
  }

  function start() {
    var section = root.document && root.document.getElementById("log-check");
    if (section) run(section).catch(function () {});
  }

  root.OcopLogVerify = { b64: b64, leafHash: leafHash, verifyInclusion: verifyInclusion, parseCheckpoint: parseCheckpoint, parseKey: parseKey, verifySignature: verifySignature, checkBatchLog: checkBatchLog, run: run };
  if (root.document) {
    if (root.document.readyState === "loading") root.document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})(typeof window !== "undefined" ? window : this);
