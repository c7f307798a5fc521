import type { Batch } from "@prisma/client";
import { prisma } from "~/db.server";
import { badgeCertificate, publicBadge } from "~/domain/catalog/certificate";
import { normalizeTraceCode } from "./code.server";
import { lookUpCode } from "./code-lookup.server";
import type { BatchStory } from "./batch-story.server";
import type { CodeRow, LiveLotState, StoredStory } from "./code-rows.server";
import { bindingProblems, currentLotLeaves } from "./log-binding.server";
import { batchStory, dropCachedStory } from "./story-cache.server";
import { enqueueStoryRebuild } from "./view-version.server";
import { traceVerdict, type CertificateState } from "./verdict";

// The trace page's view of a code: its batch's story (cached, story-cache.server.ts), checked
// against the public log when it is shown, and the verdict a shopper reads first. A scan
// costs one indexed query, shared with the scans that arrive with it (code-lookup.server.ts).

export async function findTraceView(rawCode: string) {
  const code = normalizeTraceCode(rawCode);
  if (!code) return null;
  return toView(await lookUpCode(code));
}

const shownOf = (story: BatchStory) => ({
  batchId: story.batch.id,
  leaves: story.log.leaves,
  events: story.season,
  eventIndex: story.log.eventIndex,
});

const time = (d: Date | string | null | undefined) => (d ? new Date(d).getTime() : null);

/**
 * Whether a story tells the lot's state as its rows hold it now. Events are bound to the log
 * (bindingProblems); this binds what the verdict rests on, which a stored story could otherwise
 * turn green on its own.
 */
export function storyMatchesLot(story: BatchStory, lot: LiveLotState): boolean {
  const inForce = story.batch.product.certificates.filter((c) => c.revokedAt === null);
  return (
    story.batch.status === lot.status &&
    (story.batch.holdReason ?? null) === lot.holdReason &&
    time(story.batch.holdUntil) === time(lot.holdUntil) &&
    (story.inspection?.id ?? null) === lot.inspectionId &&
    (story.inspection?.result ?? null) === lot.inspectionResult &&
    time(story.recall?.createdAt) === time(lot.recallOpenedAt) &&
    inForce.length === lot.verifiedCertificates &&
    Math.max(0, ...inForce.map((c) => c.stars)) === lot.topStars
  );
}

/**
 * The batch's story, checked against the lot's leaves as the log holds them now (one indexed
 * query). A story that disagrees is shown red, each mismatch named, and rebuilt from the rows
 * by a job; it never says "unchanged" about a history the log does not hold.
 */
async function checkedStory(batchId: string, version: number, stored: StoredStory | null, lot: LiveLotState): Promise<BatchStory> {
  let story = await batchStory(batchId, version, stored);
  if (!storyMatchesLot(story, lot)) {
    // Stale or edited: read from the rows now (a few queries, only when they disagree) and store it again.
    dropCachedStory(batchId);
    story = await batchStory(batchId, version, null);
  }
  let problems = bindingProblems(shownOf(story), await currentLotLeaves(batchId, story.batch.product.id));
  if (problems.length === 0) return story;
  // A sequencing run (or any write) may have moved the lot since this scan read its version: then the new version's story is the one to check.
  const [now] = await prisma.$queryRaw<
    { viewVersion: Batch["viewVersion"] | bigint }[]
  >`SELECT "viewVersion" FROM "Batch" WHERE "id" = ${batchId}`;
  if (now && Number(now.viewVersion) !== version) {
    story = await batchStory(batchId, Number(now.viewVersion), null);
    problems = bindingProblems(shownOf(story), await currentLotLeaves(batchId, story.batch.product.id));
    if (problems.length === 0) return story;
  }
  dropCachedStory(batchId);
  await enqueueStoryRebuild(prisma, batchId);
  const named = [
    ...story.log.problems,
    ...problems.filter(
      (p) =>
        !story.log.problems.some((q) => q.type === p.type && q.recordId === p.recordId && q.index === p.index && q.problem === p.problem),
    ),
  ];
  return { ...story, log: { ...story.log, ok: false, problems: named } };
}

export async function toView(row: CodeRow | undefined) {
  if (!row) return null;
  const { viewVersion, batchId, stored, lot, ...traceCode } = row;
  const { batch, season, ...story } = await checkedStory(batchId, viewVersion, stored, lot);
  // Stars only from an ACTIVE certificate (checked now, not when cached): an expired, revoked or
  // unverified one never shows a badge (a story cached before ADR 016 has no verification: none).
  const badge = badgeCertificate(batch.product.certificates);
  // "verified" while an officer-verified certificate is active; "unverified" when the product
  // claims one that no officer has verified (ADR 016); "none" when it claims nothing.
  const certificateState: CertificateState = badge ? "verified" : (batch.product.unverifiedClaims ?? 0) > 0 ? "unverified" : "none";
  const verdict = traceVerdict({
    // The lot's own row, read with the code: what stops a sale is never taken from a cache.
    status: lot.status,
    holdReason: lot.holdReason,
    holdUntil: lot.holdUntil,
    recall: story.recall,
    inspection: story.inspection
      ? {
          result: story.inspection.result,
          inspectedAt: story.inspection.inspectedAt,
          labResults: story.inspection.labResults ?? [],
          condition: story.inspection.condition ?? null,
          conditionDue: story.inspection.conditionDue ?? null,
        }
      : null,
    logOk: story.log.ok,
    certificateState,
  });
  return {
    verdict,
    ...traceCode,
    batch,
    ...story,
    // ISSUED (not yet on a product) and VOID codes get a warning, never the origin story.
    season: traceCode.status === "ACTIVE" ? season : [],
    badge: publicBadge(badge),
    // What the page's other parts (the lot's reviews) are cached against.
    viewVersion,
  };
}

export type TraceView = NonNullable<Awaited<ReturnType<typeof findTraceView>>>;
