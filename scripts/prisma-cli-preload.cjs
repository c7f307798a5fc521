// Loaded into the Prisma CLI only (scripts/database.mjs). Prisma 6.19's wasm schema engine
// arms a 10 s timer during `migrate deploy` and never clears it, so the CLI stayed alive
// 10 s after its work was done, on every `npm start`. Long timers are unref'd here: they
// still fire if the work is still running, they just no longer hold a finished process.
const setTimeoutOriginal = global.setTimeout;
global.setTimeout = function setTimeoutUnrefLong(fn, ms, ...args) {
  const timer = setTimeoutOriginal.call(this, fn, ms, ...args);
  if (ms >= 10_000 && typeof timer?.unref === "function") timer.unref();
  return timer;
};
