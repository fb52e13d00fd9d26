/**
 * Singular values as bars, the kept ones (i ≤ k) highlighted. Kept and dropped differ in
 * lightness as well as hue, so the split reads without colour vision.
 */
import * as d3 from 'd3';
import { bandCut, drawAxis, drawAxisTitle, indexAxis, indexBands } from './axes';

export interface BarsData {
  values: number[];
  /** Bars with index < kept are drawn as kept. */
  kept: number;
}

export interface BarsOptions {
  width: number;
  height?: number;
  /** Log y axis (singular values span many decades for images). */
  log?: boolean;
  xLabel?: string;
  yLabel?: string;
}

export function renderBars(svg: SVGSVGElement, data: BarsData, opts: BarsOptions) {
  const { width } = opts;
  const height = opts.height ?? 260;
  const m = { top: 16, right: 16, bottom: 52, left: 72 };
  const root = d3.select(svg).attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  const n = data.values.length;
  const x = indexBands(n, m.left, width - m.right);
  const max = d3.max(data.values) ?? 1;
  // Log scale: floor at max·1e-16 so exactly-zero σ (rank-deficient matrices) still get a stub.
  const floor = Math.max(max * 1e-16, d3.min(data.values.filter((v) => v > 0)) ?? max * 1e-16) / 2;
  const y = opts.log
    ? d3
        .scaleLog()
        .domain([floor, max || 1])
        .range([height - m.bottom, m.top])
        .nice()
        .clamp(true)
    : d3
        .scaleLinear()
        .domain([0, max || 1])
        .range([height - m.bottom, m.top])
        .nice();
  const base = height - m.bottom;
  root
    .selectAll<SVGRectElement, number>('rect.bar')
    .data(data.values)
    .join('rect')
    .attr('class', (_, i) => `bar ${i < data.kept ? 'bar-kept' : 'bar-dropped'}`)
    .attr('x', (_, i) => x(i) ?? 0)
    .attr('width', x.bandwidth())
    .attr('y', (v) => Math.min(base - 1, y(Math.max(v, opts.log ? floor : 0))))
    .attr('height', (v) => Math.max(1, base - y(Math.max(v, opts.log ? floor : 0))));
  const yAxis = opts.log ? d3.axisLeft(y).ticks(5, '.0e') : d3.axisLeft(y).ticks(5, '.3~g');
  drawAxis(root, 'x-axis', indexAxis(x), `translate(0,${base})`).attr('font-size', 14);
  drawAxis(root, 'y-axis', yAxis, `translate(${m.left},0)`).attr('font-size', 14);
  // The cut between kept and dropped.
  const cutX = data.kept >= n ? width - m.right : bandCut(x, data.kept, m.left);
  root
    .selectAll('line.cut')
    .data(data.kept > 0 && data.kept < n ? [cutX] : [])
    .join('line')
    .attr('class', 'cut')
    .attr('x1', (d) => d)
    .attr('x2', (d) => d)
    .attr('y1', m.top - 6)
    .attr('y2', base)
    .attr('stroke', 'currentColor')
    .attr('stroke-dasharray', '4 3');
  const titles = [
    { className: 'x-label label', text: opts.xLabel ?? 'index i', x: (m.left + width - m.right) / 2, y: height - 8 },
    { className: 'y-label label', text: opts.yLabel ?? 'value', x: 18, y: (m.top + base) / 2, vertical: true },
  ];
  for (const t of titles) drawAxisTitle(root, t).attr('font-size', 15).attr('fill', 'currentColor');
}
