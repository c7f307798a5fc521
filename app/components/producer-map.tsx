import { useT } from "~/i18n/use-t";

// Where a producer is, without map tiles (none are reachable from here, and a phone on 3G
// should not wait for them): a drawn pin with the coordinates, a link to OpenStreetMap at
// that point and a geo: link that opens the phone's own maps app.

/** Coordinates as links want them: at most 5 decimals (about a metre). */
const coordinate = (n: number) => String(Math.round(n * 100_000) / 100_000);

export function ProducerMap({ name, latitude, longitude }: { name: string; latitude: number; longitude: number }) {
  const t = useT();
  const lat = coordinate(latitude);
  const lon = coordinate(longitude);
  return (
    <div className="mt-2" data-testid="producer-map">
      <svg
        viewBox="0 0 320 120"
        width="320"
        height="120"
        role="img"
        aria-label={t("producerPage.mapAlt", { name, lat, lon })}
        className="h-auto w-full max-w-sm rounded-md border border-stone-200 bg-emerald-50"
      >
        <path d="M0 40 H320 M0 80 H320 M80 0 V120 M160 0 V120 M240 0 V120" stroke="#d6d3d1" strokeWidth="1" />
        <path d="M20 100 C70 60 120 110 170 70 S260 30 300 50" fill="none" stroke="#93c5fd" strokeWidth="6" strokeLinecap="round" />
        <path d="M160 92 C160 92 136 62 136 48 A24 24 0 1 1 184 48 C184 62 160 92 160 92 Z" fill="#b91c1c" />
        <circle cx="160" cy="48" r="9" fill="#fff" />
        <text x="160" y="114" textAnchor="middle" fontSize="11" fill="#44403c">
          {lat}, {lon}
        </text>
      </svg>
      <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
        <a href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=15/${lat}/${lon}`} rel="noopener noreferrer">
          {t("producerPage.openMap")}
        </a>
        <a href={`geo:${lat},${lon}`}>{t("producerPage.openMapApp")}</a>
      </p>
    </div>
  );
}
