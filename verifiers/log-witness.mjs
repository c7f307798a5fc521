#!/usr/bin/env node
// `npm run log:witness -- <base URL> [--dir DIR] [--name NAME] [--print-key] [--accept-new-key]`
// A witness for the platform's transparency log, meant for a provincial office to run on a
// timer. Each run fetches the latest checkpoint, checks the log's signature with the key it
// pinned on its first run, proves the log only grew since the checkpoint it saved last
// (RFC 6962 consistency proof), then cosigns (C2SP tlog-cosignature v1) and sends the
// cosignature back. A log that shrank, forked or rewrote history raises an ALARM: nothing is
// cosigned or saved, exit 3. Uses only the public HTTP endpoints and ./tlog.mjs.
//
// Exit codes: 0 cosigned, 2 usage/network/server error, 3 ALARM, 4 the platform does not
// know this witness's key yet (the checkpoint was checked and saved; see the printed steps).
//
// Files in --dir (default $WITNESS_DIR or ./witness-data):
//   witness.key   32-byte Ed25519 seed (mode 0600): the witness's identity, back it up
//   witness.vkey  its verifier key (name+keyid+base64), the line the operator registers
//   log.vkey      the log's key, pinned on first use
//   checkpoint-<origin>.txt  the last checkpoint this witness checked
//
// Key rotation: a checkpoint not signed by the pinned key is an ALARM, unless the operator
// passes --accept-new-key after confirming the rotation out of band; then a key listed by
// /log/keys, for the same origin, whose signature on the checkpoint verifies becomes the
// pinned key (the old one is kept in log.vkey.old). The consistency check still applies.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  ALG_COSIGNATURE_V1,
  cosign,
  parseCheckpointBody,
  parseNote,
  parseVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
  witnessKey,
} from "./tlog.mjs";

const USAGE = `usage: npm run log:witness -- <base URL> [--dir DIR] [--name NAME] [--accept-new-key]
       npm run log:witness -- --print-key [--dir DIR] [--name NAME]
  --dir             state folder (default $WITNESS_DIR or ./witness-data)
  --name            witness name, fixed at key creation (default witness.<hostname>)
  --print-key       print this witness's verifier key (creating the key if needed) and exit
  --accept-new-key  accept a checkpoint signed by another key listed at /log/keys (after a rotation you confirmed)`;

export const EXIT = { OK: 0, ERROR: 2, ALARM: 3, UNKNOWN_WITNESS: 4 };

class Exit extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function parseArgs(argv) {
  const out = { base: null, dir: process.env.WITNESS_DIR || "./witness-data", name: null, printKey: false, acceptNewKey: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dir" || a === "--name") {
      const value = argv[++i];
      if (!value) throw new Exit(EXIT.ERROR, `${a} needs a value\n${USAGE}`);
      out[a.slice(2)] = value;
    } else if (a === "--print-key") out.printKey = true;
    else if (a === "--accept-new-key") out.acceptNewKey = true;
    else if (a === "-h" || a === "--help") throw new Exit(EXIT.ERROR, USAGE);
    else if (a.startsWith("--")) throw new Exit(EXIT.ERROR, `unknown option ${a}\n${USAGE}`);
    else if (out.base) throw new Exit(EXIT.ERROR, `one log at a time\n${USAGE}`);
    else out.base = a;
  }
  if (!out.printKey && !out.base) throw new Exit(EXIT.ERROR, `no base URL given\n${USAGE}`);
  if (out.base) {
    try {
      out.base = new URL(out.base).toString().replace(/\/+$/, "");
    } catch {
      throw new Exit(EXIT.ERROR, `bad base URL: ${out.base}`);
    }
  }
  return out;
}

/** The witness key: made on first use (seed file mode 0600); its name is fixed from then on. */
function loadOrCreateWitness(dir, requestedName, say) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = path.join(dir, "witness.key");
  const vkeyFile = path.join(dir, "witness.vkey");
  if (!fs.existsSync(keyFile)) {
    const name = requestedName || `witness.${os.hostname()}`;
    if (!/^[^\s+]+$/u.test(name)) throw new Exit(EXIT.ERROR, `bad witness name ${JSON.stringify(name)}: no spaces or "+"`);
    const seed = crypto.randomBytes(32);
    fs.writeFileSync(keyFile, seed, { mode: 0o600, flag: "wx" });
    const w = witnessKey(name, seed);
    fs.writeFileSync(vkeyFile, `${w.vkey}\n`);
    say(`New witness key in ${keyFile} (keep it secret, back it up). Its verifier key:`);
    say(`  ${w.vkey}`);
    say(`The platform operator adds this line to LOG_WITNESS_KEYS (comma-separated).`);
    return { ...w, created: true };
  }
  const seed = fs.readFileSync(keyFile);
  if (seed.length !== 32) throw new Exit(EXIT.ERROR, `${keyFile} is not a 32-byte seed`);
  if ((fs.statSync(keyFile).mode & 0o077) !== 0) say(`warning: ${keyFile} is readable by others; chmod 600 it`);
  let name;
  try {
    name = parseVerifierKey(fs.readFileSync(vkeyFile, "utf8").trim(), ALG_COSIGNATURE_V1).name;
  } catch (e) {
    throw new Exit(EXIT.ERROR, `${vkeyFile}: ${e.message}`);
  }
  if (requestedName && requestedName !== name)
    throw new Exit(
      EXIT.ERROR,
      `this witness is named ${name} (${vkeyFile}); the name is part of its key, so --name ${requestedName} would be another witness: use another --dir`,
    );
  const w = witnessKey(name, seed);
  if (`${w.vkey}\n` !== fs.readFileSync(vkeyFile, "utf8")) throw new Exit(EXIT.ERROR, `${vkeyFile} does not belong to ${keyFile}`);
  return { ...w, created: false };
}

async function request(base, p, init) {
  try {
    const res = await fetch(`${base}${p}`, { ...init, signal: AbortSignal.timeout(20_000) });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    throw new Exit(
      EXIT.ERROR,
      `network error: ${init?.method ?? "GET"} ${base}${p}: ${e instanceof Error ? (e.cause?.message ?? e.message) : e}`,
    );
  }
}

async function getOk(base, p) {
  const res = await request(base, p);
  if (res.status !== 200) throw new Exit(EXIT.ERROR, `GET ${base}${p} answered ${res.status}: ${res.text.slice(0, 200)}`);
  return res.text;
}

const alarm = (msg) => new Exit(EXIT.ALARM, `ALARM: ${msg}`);

export async function run(argv, say = console.log) {
  const opts = parseArgs(argv);
  // --print-key prints the key line alone, so scripts can capture it.
  const witness = loadOrCreateWitness(opts.dir, opts.name, opts.printKey ? () => {} : say);
  if (opts.printKey) {
    say(witness.vkey);
    return EXIT.OK;
  }
  const { base, dir } = opts;

  // Trust on first use: the log key as it is today is the one every later checkpoint must carry.
  const logKeyFile = path.join(dir, "log.vkey");
  let logKey;
  if (!fs.existsSync(logKeyFile)) {
    const text = (await getOk(base, "/log/key")).trim();
    try {
      logKey = parseVerifierKey(text);
    } catch (e) {
      throw new Exit(EXIT.ERROR, `/log/key: ${e.message}`);
    }
    fs.writeFileSync(logKeyFile, `${logKey.text}\n`);
    say(`Pinned the log key ${logKey.text} (first use; compare it with the one the platform publishes elsewhere).`);
  } else {
    logKey = parseVerifierKey(fs.readFileSync(logKeyFile, "utf8").trim());
  }

  const cpText = await getOk(base, "/log/checkpoint");
  let cp;
  try {
    cp = verifyCheckpoint(cpText, logKey);
  } catch (first) {
    cp = await tryRotatedKey(first);
  }
  if (cp.origin !== logKey.name) throw alarm(`checkpoint origin ${cp.origin} is not the pinned log ${logKey.name}`);
  say(`Checkpoint of ${cp.origin}: size ${cp.size}, root ${cp.rootHash} (signature verifies)`);

  // The log must only ever grow: compare with the checkpoint this witness saw last.
  const stateFile = path.join(dir, `checkpoint-${cp.origin.replace(/[^A-Za-z0-9._-]/g, "_")}.txt`);
  if (fs.existsSync(stateFile)) {
    let saved;
    try {
      saved = parseCheckpointBody(parseNote(fs.readFileSync(stateFile, "utf8")).body);
    } catch (e) {
      throw new Exit(EXIT.ERROR, `${stateFile} is damaged (${e.message}); restore it from a backup`);
    }
    const { size: m, rootHash: r } = saved;
    const n = cp.size;
    if (saved.origin !== cp.origin) throw alarm(`saved checkpoint is of ${saved.origin}, the log now says ${cp.origin}`);
    if (n < m) throw alarm(`log shrank from ${m} to ${n}`);
    if (n === m && cp.rootHash !== r) throw alarm(`two different roots for size ${m}: saved ${r}, now ${cp.rootHash}`);
    if (n > m) {
      const res = await request(base, `/log/proof/consistency?from=${m}&to=${n}`);
      if (res.status !== 200)
        throw new Exit(EXIT.ERROR, `GET /log/proof/consistency?from=${m}&to=${n} answered ${res.status}: ${res.text.slice(0, 200)}`);
      let hashes = null;
      try {
        hashes = JSON.parse(res.text).hashes;
      } catch {
        // A proof that is not JSON is no proof: verifyConsistency refuses it below.
      }
      if (!verifyConsistency(m, n, Array.isArray(hashes) ? hashes : [], saved.root, cp.root)) {
        throw alarm(`checkpoint of size ${n} is not consistent with the saved checkpoint of size ${m} (root ${r})`);
      }
      say(`Consistent with the saved checkpoint of size ${m}: the log only grew.`);
    } else {
      say(`Same checkpoint as last time (size ${m}).`);
    }
  } else {
    say(`No saved checkpoint for ${cp.origin} yet: this one is the starting point.`);
  }
  // Checked: this is now the checkpoint every later one must extend, whatever the platform answers.
  fs.writeFileSync(`${stateFile}.tmp`, cpText);
  fs.renameSync(`${stateFile}.tmp`, stateFile);

  const time = Math.floor(Date.now() / 1000);
  const logLine = cp.signatures.find((s) => s.name === cp.origin && s.keyHash.equals(logKey.keyHash));
  const note = `${cp.body}\n${logLine ? logLine.line : ""}${cosign(cp.body, witness.name, witness.privateKey, time)}`;
  const res = await request(base, "/log/cosignature", {
    method: "POST",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
    body: note,
  });
  if (res.status === 200) {
    say(`Cosigned size ${cp.size} as ${witness.name} at ${time}; the log answered: ${res.text.trim()}`);
    return EXIT.OK;
  }
  if (res.status === 403) {
    say(`The log does not know this witness yet (403). To register it, the platform operator adds`);
    say(`  ${witness.vkey}`);
    say(`to LOG_WITNESS_KEYS (comma-separated) and restarts the app. The checkpoint was checked and saved.`);
    return EXIT.UNKNOWN_WITNESS;
  }
  throw new Exit(EXIT.ERROR, `POST /log/cosignature answered ${res.status}: ${res.text.slice(0, 300)}`);

  /** After a failed check with the pinned key: a rotated key, only when the operator allows it. */
  async function tryRotatedKey(first) {
    if (!opts.acceptNewKey) {
      throw alarm(
        `checkpoint is not signed by the pinned log key ${logKey.text} (${first.message}). If the platform announced a key rotation, confirm it out of band and run again with --accept-new-key.`,
      );
    }
    const listed = (await getOk(base, "/log/keys"))
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    for (const line of listed) {
      let key;
      try {
        key = parseVerifierKey(line);
      } catch {
        continue;
      }
      if (key.name !== logKey.name || key.keyHash.equals(logKey.keyHash)) continue;
      try {
        const verified = verifyCheckpoint(cpText, key);
        fs.writeFileSync(`${logKeyFile}.old`, `${logKey.text}\n`, { flag: "a" });
        fs.writeFileSync(logKeyFile, `${key.text}\n`);
        say(`Accepted the new log key ${key.text} (--accept-new-key); the old one is in ${logKeyFile}.old.`);
        logKey = key;
        return verified;
      } catch {
        // Not this one.
      }
    }
    throw alarm(`checkpoint is signed by no key of ${logKey.name} listed at /log/keys (${first.message})`);
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
if (isMain) {
  run(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e) => {
      if (e instanceof Exit) {
        console.error(e.message);
        if (e.code === EXIT.ALARM)
          console.error(
            "Cảnh báo: sổ cái công khai đã bị thay đổi hoặc rẽ nhánh. Không đồng ký; hãy lưu thư mục trạng thái và báo ngay cho cơ quan quản lý.",
          );
        process.exitCode = e.code;
      } else {
        console.error(e);
        process.exitCode = EXIT.ERROR;
      }
    });
}
