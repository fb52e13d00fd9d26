/**
 * Singular values as bars, the kept ones (i ≤ k) highlighted. Kept and dropped differ in
 * lightness as well as hue, so the split reads without colour vision.
 */
import * as d3 from 'd3';

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
  const x = d3
    .scaleBand<number>()
    .domain(d3.range(n))
    .range([m.left, width - m.right])
    .paddingInner(n > 40 ? 0.1 : 0.2);
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
  const every = Math.ceil(n / 16);
  const xAxis = d3
    .axisBottom(x)
    .tickValues(d3.range(0, n).filter((i) => (i + 1) % every === 0 || i === 0))
    .tickFormat((i) => String(Number(i) + 1));
  const yAxis = opts.log ? d3.axisLeft(y).ticks(5, '.0e') : d3.axisLeft(y).ticks(5, '.3~g');
  root
    .selectAll<SVGGElement, null>('g.x-axis')
    .data([null])
    .join('g')
    .attr('class', 'x-axis')
    .attr('transform', `translate(0,${base})`)
    .call(xAxis)
    .attr('font-size', 14);
  root
    .selectAll<SVGGElement, null>('g.y-axis')
    .data([null])
    .join('g')
    .attr('class', 'y-axis')
    .attr('transform', `translate(${m.left},0)`)
    .call(yAxis as d3.Axis<d3.NumberValue>)
    .attr('font-size', 14);
  // The cut between kept and dropped.
  const cutX = data.kept >= n ? width - m.right : (x(data.kept) ?? m.left) - (x.step() * x.paddingInner()) / 2;
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
  root
    .selectAll('text.label')
    .data([
      { t: opts.xLabel ?? 'index i', x: (m.left + width - m.right) / 2, y: height - 8, r: 0 },
      { t: opts.yLabel ?? 'value', x: -(m.top + base) / 2, y: 18, r: -90 },
    ])
    .join('text')
    .attr('class', 'label')
    .attr('text-anchor', 'middle')
    .attr('font-size', 15)
    .attr('fill', 'currentColor')
    .attr('transform', (d) => (d.r ? `rotate(${d.r})` : null))
    .attr('x', (d) => d.x)
    .attr('y', (d) => d.y)
    .text((d) => d.t);
}
