// Why a batch deserves an inspector's visit, and how urgently. Pure: the queue
// gathers the facts, this weighs them. Weights are a starting point for provinces to tune.

export const RISK_REASONS = [
  "counterfeit",
  "consumerReport",
  "phi",
  "newProducer",
  "earlierFail",
  "neverInspected",
  "certificate",
] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

export type RiskFacts = {
  openFlags: number;
  openReports: number;
  phiFlags: number;
  producerBatchRank: number; // 1 = the producer's first batch
  failedInspections: number;
  inspections: number;
  listed: boolean;
  certificate: "ACTIVE" | "EXPIRING" | "EXPIRED" | "NONE";
};

const WEIGHT: Record<RiskReason, number> = {
  counterfeit: 30,
  consumerReport: 25,
  phi: 20,
  newProducer: 10,
  earlierFail: 25,
  neverInspected: 15,
  certificate: 10,
};

export function riskOf(f: RiskFacts): { score: number; reasons: RiskReason[] } {
  const reasons: RiskReason[] = [];
  let score = 0;
  const add = (reason: RiskReason, times = 1) => {
    if (times <= 0) return;
    reasons.push(reason);
    score += WEIGHT[reason] * Math.min(times, 3);
  };
  add("counterfeit", f.openFlags);
  add("consumerReport", f.openReports);
  add("phi", f.phiFlags > 0 ? 1 : 0);
  add("newProducer", f.producerBatchRank <= 3 ? 1 : 0);
  add("earlierFail", f.failedInspections);
  add("neverInspected", f.inspections === 0 ? 1 : 0);
  // A star rating that has lapsed (or is about to) while the product is still on sale.
  add("certificate", f.listed && (f.certificate === "EXPIRED" || f.certificate === "EXPIRING") ? (f.certificate === "EXPIRED" ? 2 : 1) : 0);
  return { score, reasons };
}
