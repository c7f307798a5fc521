/** The app's public base URL (APP_URL), for links that leave the page: QR codes, payment returns. */
export function appUrl(): string {
  return (process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
}
