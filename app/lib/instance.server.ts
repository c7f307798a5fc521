import crypto from "node:crypto";
import os from "node:os";
import { setting } from "./env.server";

// Who this app process is among the instances sharing one database. Its connections
// carry it as their application_name, so any instance can see in pg_stat_activity
// whether another one is still alive (see jobs/queue.server.ts).
const INSTANCE_ID = setting("INSTANCE_ID") ?? `${os.hostname()}-${process.pid}`;
// Unique per process even when INSTANCE_ID is reused: an instance restarted under the
// same name must not look like the one that died (whose jobs are still to be released).
export const APPLICATION_NAME = `ocop:${INSTANCE_ID.slice(0, 40)}:${crypto.randomBytes(4).toString("hex")}`;
