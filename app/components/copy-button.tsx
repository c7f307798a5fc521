import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useT } from "~/i18n/use-t";

/** Copies through a selected, off-screen text area: for pages not in a secure context (a LAN address), where navigator.clipboard is missing. */
function copyBySelection(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

const noSubscription = () => () => {};

/** False in the server's render and while the page hydrates, true once its JavaScript runs. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * A "Chép" button that puts `text` on the clipboard and says "Đã chép" for a moment. It
 * appears only once the page's JavaScript runs; without it the value beside it is plain
 * selectable text (one tap selects all of it).
 */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const t = useT();
  const ready = useHydrated();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  if (!ready) return null;
  async function copy() {
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok) ok = copyBySelection(text);
    setState(ok ? "copied" : "failed");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), ok ? 2500 : 6000);
  }
  return (
    <span className="inline-flex items-center gap-1">
      <button
        type="button"
        onClick={() => void copy()}
        aria-label={t("order.copyWhat", { what })}
        className={`min-h-9 min-w-16 rounded-md border px-2 py-1 text-sm font-semibold ${state === "copied" ? "border-brand-700 bg-brand-700 text-white" : "border-brand-700 text-brand-800"}`}
      >
        {state === "copied" ? `✓ ${t("order.copied")}` : t("order.copy")}
      </button>
      <span role="status" aria-live="polite" className={state === "failed" ? "text-xs text-red-800" : "sr-only"}>
        {state === "copied" ? t("order.copied") : state === "failed" ? t("order.copyFailed") : ""}
      </span>
    </span>
  );
}
