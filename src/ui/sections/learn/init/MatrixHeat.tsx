import * as d3 from 'd3';
import type { HostTensor } from '../../../../engine/types';

interface Props {
  name: string;
  m: HostTensor;
  /** Colour scale's half-range; by default the matrix's own max |value|. */
  scale?: number;
  cell?: number;
}

/**
 * A small matrix as a diverging heatmap (blue negative, red positive: RdBu, readable with
 * red–green colour blindness). Small enough for React to draw every cell; each cell's value is
 * in its tooltip and the extremes are written out.
 */
export function MatrixHeat({ name, m, scale, cell = 30 }: Props) {
  const [rows, cols] = m.shape;
  let maxAbs = 0;
  for (const v of m.data) maxAbs = Math.max(maxAbs, Math.abs(v));
  const half = scale ?? maxAbs;
  const color = (v: number) =>
    half === 0 ? d3.interpolateRdBu(0.5) : d3.interpolateRdBu(0.5 - Math.max(-1, Math.min(1, v / half)) / 2);
  const label = `${name}, ${rows} × ${cols}, ${maxAbs === 0 ? 'all zero' : `largest |entry| ${maxAbs.toPrecision(3)}`}`;
  return (
    <figure className="matrix-heat">
      <svg width={cols * cell + 2} height={rows * cell + 2} role="img" aria-label={label}>
        {Array.from(m.data, (v, i) => (
          <rect
            key={i}
            x={1 + (i % cols) * cell}
            y={1 + Math.floor(i / cols) * cell}
            width={cell - 1}
            height={cell - 1}
            fill={color(v)}
          >
            <title>{`${name}[${Math.floor(i / cols)},${i % cols}] = ${v.toPrecision(4)}`}</title>
          </rect>
        ))}
      </svg>
      <figcaption>
        <strong>{name}</strong> {rows}×{cols}
        <br />
        {maxAbs === 0 ? (
          <span className="zero">exactly 0</span>
        ) : (
          <span className="mono">max |·| {maxAbs.toPrecision(3)}</span>
        )}
      </figcaption>
    </figure>
  );
}
