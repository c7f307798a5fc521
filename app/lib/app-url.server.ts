import { setting } from "./env.server";

/** The app's public base URL (APP_URL), for links that leave the page: QR codes, payment returns. */
export function appUrl(): string {
  return (setting("APP_URL") ?? `http://localhost:${setting("PORT")}`).replace(/\/+$/, "");
}
