import { prisma } from "~/db.server";
import { runDueJobs, startBackgroundWork, type BackgroundWork } from "./worker.server";

// A job runner must run jobs again after a failure at its start. graphile-worker remembers the
// lookup of its task ids, a failed one included; a runner whose first lookup failed (the database
// going away as it started) then failed every poll with that one error and never ran a job.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pending = async () =>
  (await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'retention'`)[0]!.n;

describe("the job runner", () => {
  let work: BackgroundWork | null = null;
  afterEach(async () => {
    await work?.stop();
    work = null;
  });

  it("runs jobs again after its first look-up of task ids failed", async () => {
    await runDueJobs(); // the job schema exists and the task ids are known
    const lines: string[] = [];
    // The look-up fails while the table is away, as it would while the database restarts.
    await prisma.$executeRawUnsafe(`ALTER TABLE graphile_worker._private_tasks RENAME TO _private_tasks_away`);
    try {
      work = await startBackgroundWork({ concurrency: 2, log: (line) => lines.push(line) });
      await sleep(2500); // a few polls, all failing
    } finally {
      await prisma.$executeRawUnsafe(`ALTER TABLE graphile_worker._private_tasks_away RENAME TO _private_tasks`);
    }
    await prisma.$executeRaw`SELECT graphile_worker.add_job('retention', '{}'::json)`;
    const t = Date.now();
    while ((await pending()) > 0 && Date.now() - t < 25_000) await sleep(200);
    expect(await pending(), lines.join("\n")).toBe(0);
    expect(lines.join("\n")).toContain("polling keeps failing with one remembered error");
  }, 40_000);
});
