import { useSyncExternalStore } from "react";

function subscribe(onChange: () => void) {
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);
  return () => {
    window.removeEventListener("online", onChange);
    window.removeEventListener("offline", onChange);
  };
}

/** Whether the phone has signal, as the browser says (online/offline events); the server render counts as online. */
export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => navigator.onLine,
    () => true,
  );
}

/** "Đang ngoại tuyến" above a producer page while the phone has no signal; `notice` is said in it too. */
export function OfflineBanner({ online, title, text, notice }: { online: boolean; title: string; text: string; notice: string | null }) {
  if (online) return null;
  return (
    <div role="status" className="sticky top-0 z-40 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      <p className="mx-auto max-w-4xl">
        <strong>{title}</strong> · {text}
      </p>
      {notice ? <p className="mx-auto mt-1 max-w-4xl font-semibold">{notice}</p> : null}
    </div>
  );
}
