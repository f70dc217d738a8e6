/**
 * Pages sent and pages dirtied per pre-copy iteration, as paired bars on a log scale (the first
 * iteration sends every page, later ones a few hundred): a plain SVG, no chart library.
 */
import type { IterationRecord } from '../../migration/stats.ts';

const WIDTH = 320;
const HEIGHT = 110;
const PAD_LEFT = 34;
const PAD_BOTTOM = 16;

const log = (n: number) => Math.log10(1 + n);

export function MigrationChart({ iterations }: { iterations: readonly IterationRecord[] }) {
  const maxPages = Math.max(1, ...iterations.map((r) => Math.max(r.normalPages + r.zeroPages, r.pagesDirtied)));
  const top = Math.ceil(log(maxPages));
  const plotH = HEIGHT - PAD_BOTTOM - 4;
  const y = (n: number) => HEIGHT - PAD_BOTTOM - (log(n) / Math.max(1, top)) * plotH;
  const slot = (WIDTH - PAD_LEFT) / Math.max(4, iterations.length);
  const bar = Math.max(2, slot * 0.38);
  const ticks = Array.from({ length: top + 1 }, (_, i) => i);
  return (
    <figure className="migration-chart" data-testid="migration-chart" data-iterations={iterations.length}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label="pages sent and dirtied per iteration">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD_LEFT} x2={WIDTH} y1={y(10 ** t - 1)} y2={y(10 ** t - 1)} className="grid" />
            <text x={PAD_LEFT - 4} y={y(10 ** t - 1) + 3} textAnchor="end">
              {t === 0 ? '0' : `1e${t}`}
            </text>
          </g>
        ))}
        {iterations.map((r, i) => {
          const x = PAD_LEFT + i * slot + slot * 0.1;
          const sent = r.normalPages + r.zeroPages;
          return (
            <g key={r.iteration}>
              <rect className="sent" x={x} y={y(sent)} width={bar} height={HEIGHT - PAD_BOTTOM - y(sent)}>
                <title>{`iteration ${r.iteration}: ${sent} pages sent (${r.zeroPages} zero)`}</title>
              </rect>
              <rect className="dirtied" x={x + bar} y={y(r.pagesDirtied)} width={bar} height={HEIGHT - PAD_BOTTOM - y(r.pagesDirtied)}>
                <title>{`iteration ${r.iteration}: ${r.pagesDirtied} pages dirtied`}</title>
              </rect>
              <text x={x + bar} y={HEIGHT - 4} textAnchor="middle">
                {r.iteration}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="key sent" /> pages sent <span className="key dirtied" /> pages dirtied, per iteration
      </figcaption>
    </figure>
  );
}
