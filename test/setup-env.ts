import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";

// A fresh copy of the migrated template for every test file, before any app module loads.
const template = process.env.OCOP_TEST_TEMPLATE_DB;
if (!template) throw new Error("global-setup did not run");
const file = path.join(path.dirname(template), `t-${crypto.randomUUID()}.db`);
fs.copyFileSync(template, file);
process.env.DATABASE_URL = `file:${file}`;
// Uploads and label PDFs of this test file go to a throwaway folder too.
process.env.DATA_DIR = path.join(path.dirname(template), `data-${crypto.randomUUID()}`);
process.env.SESSION_SECRET ??= "test-secret-not-for-production";
process.env.APP_URL ??= "https://ocop.example.vn";
