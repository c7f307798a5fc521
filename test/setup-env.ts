import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";

// A fresh database for every test file, cloned from the migrated template before any
// app module loads (CREATE DATABASE … TEMPLATE copies files: ~tens of ms).
const serverUrl = process.env.OCOP_TEST_SERVER_URL;
const template = process.env.OCOP_TEST_TEMPLATE;
if (!serverUrl || !template) throw new Error("global-setup did not run");
const database = `${process.env.OCOP_TEST_PREFIX}_${crypto.randomBytes(6).toString("hex")}`;
const at = (name: string) => {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
};
const admin = new pg.Client({ connectionString: at("postgres") });
await admin.connect();
try {
  await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
} finally {
  await admin.end();
}
process.env.DATABASE_URL = at(database);
// Uploads and label PDFs of this test file go to a throwaway folder too.
process.env.DATA_DIR = path.join(process.env.OCOP_TEST_DIR!, `data-${database}`);
process.env.SESSION_SECRET ??= "test-secret-not-for-production";
process.env.APP_URL ??= "https://ocop.example.vn";
// Jobs run when a test calls runDueJobs (no worker runs in a test file): due at once.
process.env.STORY_REBUILD_DELAY_MS = "0";
