import type { LogProblem } from "~/domain/log/log-problems";
import { useT } from "~/i18n/use-t";

// The public log's verdict, shown the same way on the trace page and to inspectors: a
// green line when every record matches its leaf in the signed tree, a red alert naming
// each failure (record, id, leaf index) otherwise. Never a silent pass.

export function LogProblems({ problems }: { problems: LogProblem[] }) {
  const t = useT();
  return (
    <ul className="mt-1 list-disc pl-5 text-sm">
      {problems.map((p, i) => (
        <li key={`${p.type}-${p.recordId}-${p.problem}-${i}`}>
          {t("log.problemLine", {
            what: t(`log.type.${p.type}`),
            id: p.recordId,
            at: p.index === null ? "" : t("log.atIndex", { index: p.index }),
            problem: t(`log.problem.${p.problem}`),
          })}
        </li>
      ))}
    </ul>
  );
}

/** `plain`: the page's verdict is not good, so this separate fact is shown without green (never green above a failed test). */
export function LogStatus({
  log,
  verifyHref,
  plain = false,
}: {
  log: { ok: boolean; size: number | null; pending: number; problems: LogProblem[] };
  verifyHref: string;
  plain?: boolean;
}) {
  const t = useT();
  if (!log.ok) {
    return (
      <div className="mt-2 rounded-md border border-red-400 bg-red-50 p-3 text-red-900" role="alert" data-log-status="broken">
        <p className="font-semibold">{t("trace.logBroken")}</p>
        <LogProblems problems={log.problems} />
        <a className="mt-1 inline-block underline" href={verifyHref}>
          {t("trace.logVerify")}
        </a>
      </div>
    );
  }
  return (
    <p className={`mt-2 text-sm ${plain ? "text-stone-700" : "text-brand-800"}`} data-log-status="ok">
      {log.size === null ? t("trace.logEmpty") : t("trace.logOk", { size: log.size })}
      {log.pending ? ` ${t("trace.logPending", { n: log.pending })}` : ""}{" "}
      <a className={plain ? "underline" : "text-brand-700 underline"} href={verifyHref}>
        {t("trace.logVerify")}
      </a>
    </p>
  );
}

/** One event's place in the public log, under it on the timeline. */
export function LogIndex({ index }: { index: number | null | undefined }) {
  const t = useT();
  if (index === undefined) return null;
  return <p className="text-xs text-stone-600">{index === null ? t("trace.logPendingEvent") : t("trace.logIndex", { index })}</p>;
}
