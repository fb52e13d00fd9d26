/**
 * Training curves: one line per series (train loss, validation loss, …) against the step, on a
 * React-owned <svg>. Repeatable: call again with more points and it redraws with `.join()`.
 */
import * as d3 from 'd3';
import { drawAxis, drawAxisTitle } from './axes';
import { SERIES_COLORS } from './palette';

export interface LossSeries {
  name: string;
  points: { step: number; value: number }[];
  /** CSS colour; the default palette is colour-blind safe (Okabe–Ito). */
  color?: string;
  dashed?: boolean;
}

export interface LegendLayout {
  /** Each entry's translate (x, y) in the svg: the swatch starts at x, the text baseline is y + 5. */
  x: number[];
  y: number[];
  rows: number;
}

export const LEGEND = { top: 14, rowHeight: 18, swatch: 28, gap: 18, edge: 6 } as const;

/**
 * Legend entries in rows inside the chart: each row starts at `left` and an entry that would
 * cross `width - right` starts a new row. An entry wider than a whole row gets a row of its own,
 * shifted towards the chart's edge, so nothing is drawn outside the svg unless it is wider than it.
 */
export function layoutLegend(textWidths: number[], width: number, left: number, right: number): LegendLayout {
  const { top, rowHeight, swatch, gap, edge } = LEGEND;
  const x: number[] = [];
  const y: number[] = [];
  let row = 0;
  let cursor = left;
  for (const w of textWidths) {
    const entry = swatch + w;
    if (cursor > left && cursor + entry > width - right) {
      row += 1;
      cursor = left;
    }
    // Shift left only as far as an entry wider than the rest of its row needs, never past the edge.
    const start = Math.max(edge, Math.min(cursor, width - edge - entry));
    x.push(start);
    y.push(top + row * rowHeight);
    cursor = start + entry + gap;
  }
  return { x, y, rows: textWidths.length ? row + 1 : 0 };
}

export interface LossChartOptions {
  width: number;
  height: number;
  /** Last step of the run, so the x axis does not jump while training. */
  maxStep: number;
  yLabel?: string;
}

export function renderLossChart(svg: SVGSVGElement, series: LossSeries[], opts: LossChartOptions): void {
  const { width, height } = opts;
  const root = d3.select(svg).attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
  const color = (s: LossSeries, i: number) => s.color ?? SERIES_COLORS[i % SERIES_COLORS.length];

  // The legend first: its rows (as many as the width needs) set the top margin, off the curves.
  const m = { top: 36, right: 16, bottom: 44, left: 58 };
  const label = (s: LossSeries) => {
    const last = s.points[s.points.length - 1];
    return last ? `${s.name}: ${last.value.toFixed(3)}` : s.name;
  };
  const legend = root
    .selectAll<SVGGElement, LossSeries>('g.legend')
    .data(series, (s) => s.name)
    .join('g')
    .attr('class', 'legend');
  legend
    .selectAll('line')
    .data((s, i) => [{ s, i }])
    .join('line')
    .attr('x1', 0)
    .attr('x2', 22)
    .attr('y1', 0)
    .attr('y2', 0)
    .attr('stroke-width', 3)
    .attr('stroke', ({ s, i }) => color(s, i))
    .attr('stroke-dasharray', ({ s }) => (s.dashed ? '6 4' : null));
  legend
    .selectAll('text')
    .data((s) => [s])
    .join('text')
    .attr('x', LEGEND.swatch)
    .attr('y', 5)
    .attr('fill', 'currentColor')
    .style('font-size', '13px')
    .text(label);
  // Each entry as wide as its label really renders (CSS may enlarge it); ~7 px a character without layout.
  const widths: number[] = [];
  legend.each(function (s) {
    const text = this.querySelector('text') as SVGTextElement | null;
    const measured = text && typeof text.getComputedTextLength === 'function' ? text.getComputedTextLength() : 0;
    widths.push(measured || 7 * label(s).length);
  });
  const placed = layoutLegend(widths, width, m.left, m.right);
  legend.each(function (_, i) {
    this.setAttribute('transform', `translate(${placed.x[i]},${placed.y[i]})`);
  });
  m.top = LEGEND.top + Math.max(1, placed.rows) * LEGEND.rowHeight + 4;

  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.value));
  const [lo, hi] = all.length ? (d3.extent(all, (p) => p.value) as [number, number]) : [0, 1];
  const pad = (hi - lo) * 0.08 || 0.1;
  const x = d3
    .scaleLinear()
    .domain([0, Math.max(1, opts.maxStep)])
    .range([m.left, width - m.right]);
  const y = d3
    .scaleLinear()
    .domain([Math.max(0, lo - pad), hi + pad])
    .nice()
    .range([height - m.bottom, m.top]);

  const xAxis = d3
    .axisBottom(x)
    .ticks(Math.max(2, Math.min(6, Math.floor((width - m.left - m.right) / 60))))
    .tickFormat(d3.format('~s'));
  drawAxis(root, 'x-axis', xAxis, `translate(0,${height - m.bottom})`).style('font-size', '13px');
  drawAxis(root, 'y-axis', d3.axisLeft(y).ticks(5), `translate(${m.left},0)`).style('font-size', '13px');
  const titles = [
    { className: 'x-label', text: 'step', x: (m.left + width - m.right) / 2, y: height - 6 },
    {
      className: 'y-label',
      text: opts.yLabel ?? 'loss (nats/token)',
      x: 14,
      y: (m.top + height - m.bottom) / 2,
      vertical: true,
    },
  ];
  for (const t of titles) drawAxisTitle(root, t).attr('fill', 'currentColor').style('font-size', '14px');

  const line = d3
    .line<{ step: number; value: number }>()
    .defined((p) => Number.isFinite(p.value))
    .x((p) => x(p.step))
    .y((p) => y(p.value));
  root
    .selectAll<SVGPathElement, LossSeries>('path.series')
    .data(series, (s) => s.name)
    .join('path')
    .attr('class', 'series')
    .attr('fill', 'none')
    .attr('stroke-width', 2.5)
    .attr('stroke', (s, i) => color(s, i))
    .attr('stroke-dasharray', (s) => (s.dashed ? '6 4' : null))
    .attr('d', (s) => line(s.points));
}
