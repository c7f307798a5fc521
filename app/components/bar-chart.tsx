// Server-rendered SVG bar chart (stacked when a bar has several parts): no JavaScript,
// scales to the phone's width. The same numbers are always given as a table beside it.

import { useLocale } from "~/i18n/use-t";
import { formatNumber } from "~/i18n/locale";

export type Bar = { label: string; parts: number[] };

export function BarChart({
  title,
  bars,
  colors,
  names,
  labelEvery = 1,
}: {
  title: string;
  bars: Bar[];
  colors: string[];
  names?: string[];
  labelEvery?: number;
}) {
  const locale = useLocale();
  // A fixed drawing size (scaled to the screen by the viewBox) keeps text legible with 4 bars or 30.
  const width = 320;
  const height = 110;
  const axis = 16;
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.min(40, slot * 0.7);
  const max = Math.max(1, ...bars.map((b) => b.parts.reduce((s, n) => s + n, 0)));
  return (
    <figure className="mb-2">
      <svg
        role="img"
        aria-label={title}
        viewBox={`0 0 ${width} ${height + axis}`}
        className="h-auto w-full max-w-lg"
        preserveAspectRatio="xMinYMin meet"
      >
        <title>{title}</title>
        <line x1={0} y1={height} x2={width} y2={height} stroke="#a8a29e" strokeWidth={0.5} />
        {bars.map((bar, i) => {
          let top = height;
          const total = bar.parts.reduce((s, n) => s + n, 0);
          return (
            <g key={bar.label}>
              {bar.parts.map((n, k) => {
                const h = (n / max) * (height - 12);
                top -= h;
                return n > 0 ? (
                  <rect key={k} x={i * slot + (slot - barWidth) / 2} y={top} width={barWidth} height={h} fill={colors[k % colors.length]} />
                ) : null;
              })}
              {total > 0 ? (
                <text x={i * slot + slot / 2} y={top - 2} fontSize={9} textAnchor="middle" fill="#44403c">
                  {formatNumber(locale, total)}
                </text>
              ) : null}
              {i % labelEvery === 0 ? (
                <text x={i * slot + slot / 2} y={height + 12} fontSize={9} textAnchor="middle" fill="#44403c">
                  {bar.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      {names && names.length > 1 ? (
        <figcaption className="mt-1 flex flex-wrap gap-3 text-sm">
          {names.map((name, k) => (
            <span key={name} className="inline-flex items-center gap-1">
              {/* An SVG fill rather than a style attribute: the CSP allows no inline styles. */}
              <svg aria-hidden="true" className="inline-block h-3 w-3" viewBox="0 0 12 12">
                <rect width="12" height="12" rx="2" fill={colors[k % colors.length]} />
              </svg>
              {name}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}
