// A tiny server-rendered bar chart of daily scans: no JavaScript, a few hundred bytes.
export function ScanChart({ series, label }: { series: number[]; label: string }) {
  const max = Math.max(1, ...series);
  const w = 4;
  const gap = 1;
  const h = 24;
  return (
    <svg
      role="img"
      aria-label={label}
      width={series.length * (w + gap)}
      height={h}
      viewBox={`0 0 ${series.length * (w + gap)} ${h}`}
      className="inline-block align-middle"
    >
      <title>{label}</title>
      {series.map((n, i) => {
        const bh = n === 0 ? 1 : Math.max(2, Math.round((n / max) * h));
        return <rect key={i} x={i * (w + gap)} y={h - bh} width={w} height={bh} fill={n === 0 ? "#d6d3d1" : "#15803d"} />;
      })}
    </svg>
  );
}
