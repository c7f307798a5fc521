// A stand-in production server for bench/search while the project has no server script
// of its own (@remix-run/serve is gone): the built Remix app behind express with gzip,
// the fingerprinted assets served with a long cache. Env: PORT, DATABASE_URL,
// SESSION_SECRET, NODE_ENV=production.
import path from "node:path";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";

const root = path.resolve(import.meta.dirname, "../..");
const build = await import(path.join(root, "build/index.js"));
const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));
const port = Number(process.env.PORT ?? 3000);
app.listen(port, "127.0.0.1", () => console.log(`[bench/search server] listening on ${port}`));
