/**
 * A small multi-series line chart (d3 into a React-owned <svg>): labelled axes, a legend, and
 * each series told apart by colour AND dash AND marker shape, so it reads without colour.
 */
import * as d3 from 'd3';
import { drawAxis, drawAxisTitle } from './axes';

export interface LineSeries {
  id: string;
  label: string;
  points: { x: number; y: number }[];
  color: string;
  /** SVG dash array ('' for solid). */
  dash: string;
  marker: 'circle' | 'square' | 'triangle' | 'diamond';
}

export interface LineChartOptions {
  width: number;
  height: number;
  xLabel: string;
  yLabel: string;
  xScale?: 'linear' | 'log2';
  yScale?: 'linear' | 'log';
  /** Exact tick values for x (e.g. the ranks tried). */
  xTicks?: number[];
  /** Start y at 0 (linear scale only). Default true. */
  yFromZero?: boolean;
  /** A chosen x (a slider's value): a dashed rule, its label, and a ring at each series' value there. */
  mark?: { x: number; label: string; points: { y: number; color: string }[] };
}

const SYMBOLS = {
  circle: d3.symbolCircle,
  square: d3.symbolSquare,
  triangle: d3.symbolTriangle,
  diamond: d3.symbolDiamond,
};

export function renderLineChart(svgEl: SVGSVGElement, series: LineSeries[], o: LineChartOptions): void {
  const m = { top: 16, right: 16, bottom: 56, left: 76 };
  // Legend columns sized to the longest label (about 9 px per character at 15 px).
  const colW = 60 + 9 * Math.max(...series.map((s) => s.label.length), 4);
  const perRow = Math.max(1, Math.floor((o.width - m.left - m.right) / colW));
  const legendH = 26 * Math.ceil(series.length / perRow);
  const w = o.width - m.left - m.right;
  const h = o.height - m.top - m.bottom - legendH;
  const svg = d3.select(svgEl).attr('viewBox', `0 0 ${o.width} ${o.height}`).classed('viz-line', true);
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  const xs = d3.extent(all, (p) => p.x) as [number, number];
  const ys = d3.extent(all, (p) => p.y) as [number, number];
  const x = (o.xScale === 'log2' ? d3.scaleLog().base(2) : d3.scaleLinear())
    .domain(xs[0] === undefined ? [0, 1] : xs)
    .range([0, w]);
  const y =
    o.yScale === 'log'
      ? d3
          .scaleLog()
          .domain([Math.max(1e-12, ys[0] ?? 1e-3) / 1.3, (ys[1] ?? 1) * 1.3])
          .range([h, 0])
      : d3
          .scaleLinear()
          .domain([o.yFromZero === false ? (ys[0] ?? 0) : Math.min(0, ys[0] ?? 0), (ys[1] ?? 1) * 1.08 || 1])
          .nice()
          .range([h, 0]);

  const g = svg
    .selectAll<SVGGElement, null>('g.plot')
    .data([null])
    .join('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${m.left},${m.top})`);
  const xAxis = d3.axisBottom(x);
  if (o.xTicks) xAxis.tickValues(o.xTicks).tickFormat((d) => String(d));
  drawAxis(g, 'x-axis axis', xAxis, `translate(0,${h})`);
  drawAxis(g, 'y-axis axis', d3.axisLeft(y).ticks(5, o.yScale === 'log' ? '~g' : undefined));
  drawAxisTitle(g, { className: 'x-label axis-label', text: o.xLabel, x: w / 2, y: h + 44 });
  drawAxisTitle(g, { className: 'y-label axis-label', text: o.yLabel, x: -58, y: h / 2, vertical: true });

  const line = d3
    .line<{ x: number; y: number }>()
    .defined((p) => Number.isFinite(p.y) && (o.yScale !== 'log' || p.y > 0))
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  const sg = g
    .selectAll<SVGGElement, LineSeries>('g.series')
    .data(series, (s) => s.id)
    .join('g')
    .attr('class', 'series');
  sg.selectAll('path.line')
    .data((s) => [s])
    .join('path')
    .attr('class', 'line')
    .attr('fill', 'none')
    .attr('stroke', (s) => s.color)
    .attr('stroke-width', 3)
    .attr('stroke-dasharray', (s) => s.dash)
    .attr('d', (s) => line(s.points));
  sg.selectAll('path.marker')
    .data((s) => s.points.filter((p) => Number.isFinite(p.y) && (o.yScale !== 'log' || p.y > 0)).map((p) => ({ p, s })))
    .join('path')
    .attr('class', 'marker')
    .attr('fill', (d) => d.s.color)
    .attr('d', (d) => d3.symbol(SYMBOLS[d.s.marker], 70)())
    .attr('transform', (d) => `translate(${x(d.p.x)},${y(d.p.y)})`);

  const mark = g
    .selectAll<SVGGElement, NonNullable<LineChartOptions['mark']>>('g.mark')
    .data(o.mark ? [o.mark] : [])
    .join('g')
    .attr('class', 'mark')
    .attr('data-x', (d) => d.x);
  mark
    .selectAll('line')
    .data((d) => [d])
    .join('line')
    .attr('x1', (d) => x(d.x))
    .attr('x2', (d) => x(d.x))
    .attr('y1', 0)
    .attr('y2', h)
    .attr('stroke', 'currentColor')
    .attr('stroke-width', 1.5)
    .attr('stroke-dasharray', '5 4');
  // The label sits on the side with room, so it never runs off the plot.
  mark
    .selectAll('text')
    .data((d) => [d])
    .join('text')
    .attr('class', 'mark-label')
    .attr('x', (d) => x(d.x) + (x(d.x) > w * 0.7 ? -8 : 8))
    .attr('y', 14)
    .attr('text-anchor', (d) => (x(d.x) > w * 0.7 ? 'end' : 'start'))
    .attr('font-weight', 700)
    .text((d) => d.label);
  mark
    .selectAll('circle')
    .data((d) =>
      d.points.filter((p) => Number.isFinite(p.y) && (o.yScale !== 'log' || p.y > 0)).map((p) => ({ ...p, x: d.x })),
    )
    .join('circle')
    .attr('cx', (p) => x(p.x))
    .attr('cy', (p) => y(p.y))
    .attr('r', 7)
    .attr('fill', 'none')
    .attr('stroke', (p) => p.color)
    .attr('stroke-width', 3);

  const legend = svg
    .selectAll<SVGGElement, null>('g.legend')
    .data([null])
    .join('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${m.left},${o.height - legendH + 4})`);
  const items = legend
    .selectAll<SVGGElement, LineSeries>('g.item')
    .data(series, (s) => s.id)
    .join('g')
    .attr('class', 'item');
  items.attr('transform', (_, i) => `translate(${(i % perRow) * colW},${Math.floor(i / perRow) * 26})`);
  items
    .selectAll('line')
    .data((s) => [s])
    .join('line')
    .attr('x1', 0)
    .attr('x2', 34)
    .attr('y1', 8)
    .attr('y2', 8)
    .attr('stroke', (s) => s.color)
    .attr('stroke-width', 3)
    .attr('stroke-dasharray', (s) => s.dash);
  items
    .selectAll('path')
    .data((s) => [s])
    .join('path')
    .attr('d', (s) => d3.symbol(SYMBOLS[s.marker], 70)())
    .attr('fill', (s) => s.color)
    .attr('transform', 'translate(17,8)');
  items
    .selectAll('text')
    .data((s) => [s])
    .join('text')
    .attr('x', 42)
    .attr('y', 13)
    .attr('class', 'legend-label')
    .text((s) => s.label);
}
