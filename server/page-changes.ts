// Tells this instance's shop page cache (server/list-cache.ts) that a hold, a recall, a price
// or a listing changed somewhere: the database triggers of migration
// 20261207230000_shop_page_changes NOTIFY "ocop_shop_pages" at commit, and every instance
// LISTENs on its own connection. While that connection is down the cache keeps nothing (it
// could miss a recall); it reconnects every few seconds.
import pg from "pg";

export const SHOP_PAGES_CHANNEL = "ocop_shop_pages";
const RETRY_MS = 2000;

type Target = { invalidate: () => void; setEnabled: (on: boolean) => void };

export function listenForPageChanges(databaseUrl: string, target: Target, log: (message: string) => void): { stop: () => Promise<void> } {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;

  const connect = async () => {
    retry = null;
    const next = new pg.Client({ connectionString: databaseUrl, application_name: "ocop-shop-pages" });
    const lost = (why: string) => {
      if (client !== next) return;
      client = null;
      target.setEnabled(false);
      void next.end().catch(() => {});
      if (!stopped) {
        log(`shop page changes: ${why}; pages are not kept until it listens again`);
        retry = setTimeout(() => void connect(), RETRY_MS);
      }
    };
    client = next;
    next.on("error", (error) => lost(error.message));
    next.on("end", () => lost("connection ended"));
    next.on("notification", (message) => {
      if (message.channel === SHOP_PAGES_CHANNEL) target.invalidate();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${SHOP_PAGES_CHANNEL}`);
      if (client === next && !stopped) target.setEnabled(true);
    } catch (error) {
      lost(error instanceof Error ? error.message : String(error));
    }
  };
  target.setEnabled(false);
  void connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const open = client;
      client = null;
      await open?.end().catch(() => {});
    },
  };
}
