/**
 * The LoRA paper's Fig. 3/4 heatmap: φ(i, j) ∈ [0, 1] for i = 1…rows (the first adapter's top-i
 * directions, down the side) and j = 1…cols (the second's, along the bottom), one cell each, with
 * axes, a colour bar, and the value printed in the cell where it fits (so it reads without colour).
 */
import * as d3 from 'd3';
import { drawAxis, drawAxisTitle } from './axes';
import { textOn } from './matrixColor';

export interface PhiHeatmapData {
  /** φ[i − 1][j − 1]. */
  values: number[][];
}

export interface PhiHeatmapOptions {
  /** Width available in CSS pixels. */
  width: number;
  /** Axis titles, e.g. "i (sweep-r8)". */
  rowLabel: string;
  colLabel: string;
}

const M = { top: 12, right: 16, bottom: 100, left: 76 };

/** Every tick when they fit, else about `max` of them, always including 1 and n. */
export function phiTicks(n: number, max: number): number[] {
  if (n <= max) return d3.range(1, n + 1);
  const step = Math.ceil(n / max);
  const ticks = d3.range(step, n + 1, step);
  return [1, ...ticks.filter((t) => t !== 1 && n - t >= step / 2), n];
}

export function renderPhiHeatmap(svg: SVGSVGElement, data: PhiHeatmapData, o: PhiHeatmapOptions): void {
  const rows = data.values.length;
  const cols = rows ? data.values[0].length : 0;
  const avail = Math.max(80, o.width - M.left - M.right);
  const cellW = Math.max(3, Math.min(48, avail / Math.max(1, cols)));
  // Rows stay tall enough to read even when many columns make the cells narrow (8 × 64 in Fig. 3).
  const cellH = Math.max(3, Math.min(40, 420 / Math.max(1, rows), Math.max(cellW, 28)));
  const w = cellW * cols;
  const h = cellH * rows;
  const width = Math.max(o.width, M.left + w + M.right);
  const height = M.top + h + M.bottom;
  const color = d3.scaleSequential(d3.interpolateCividis).domain([0, 1]);
  const root = d3.select(svg).attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
  const g = root
    .selectAll<SVGGElement, null>('g.plot')
    .data([null])
    .join('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${M.left},${M.top})`);

  const cells = data.values.flatMap((row, i) => row.map((v, j) => ({ i, j, v })));
  g.selectAll<SVGRectElement, (typeof cells)[number]>('rect.cell')
    .data(cells)
    .join('rect')
    .attr('class', 'cell')
    .attr('x', (d) => d.j * cellW)
    .attr('y', (d) => d.i * cellH)
    .attr('width', Math.max(1, cellW - (cellW > 6 ? 1 : 0)))
    .attr('height', Math.max(1, cellH - (cellH > 6 ? 1 : 0)))
    .attr('fill', (d) => (Number.isFinite(d.v) ? color(d.v) : 'none'));
  const showText = cellW >= 34 && cellH >= 18;
  g.selectAll<SVGTextElement, (typeof cells)[number]>('text.cell-value')
    .data(showText ? cells : [])
    .join('text')
    .attr('class', 'cell-value')
    .attr('x', (d) => d.j * cellW + (cellW - 1) / 2)
    .attr('y', (d) => d.i * cellH + (cellH - 1) / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .attr('fill', (d) => textOn(color(d.v)))
    .text((d) => d.v.toFixed(2));

  // Band scales put each tick at its cell's centre.
  const x = d3
    .scaleBand<number>()
    .domain(d3.range(1, cols + 1))
    .range([0, w]);
  const y = d3
    .scaleBand<number>()
    .domain(d3.range(1, rows + 1))
    .range([0, h]);
  drawAxis(
    g,
    'x-axis axis',
    d3.axisBottom(x).tickValues(phiTicks(cols, Math.max(2, Math.floor(w / 28)))),
    `translate(0,${h})`,
  );
  drawAxis(g, 'y-axis axis', d3.axisLeft(y).tickValues(phiTicks(rows, Math.max(2, Math.floor(h / 18)))));
  drawAxisTitle(g, { className: 'x-label axis-label', text: o.colLabel, x: w / 2, y: h + 40 });
  drawAxisTitle(g, { className: 'y-label axis-label', text: o.rowLabel, x: -54, y: h / 2, vertical: true });

  // Colour bar 0…1 under the plot.
  const barW = Math.min(240, Math.max(120, w));
  const bx = d3.scaleLinear().domain([0, 1]).range([0, barW]);
  const bar = root
    .selectAll<SVGGElement, null>('g.colour-bar')
    .data([null])
    .join('g')
    .attr('class', 'colour-bar')
    .attr('transform', `translate(${M.left},${M.top + h + 58})`);
  const steps = d3.range(0, 1, 1 / 30);
  bar
    .selectAll('rect.swatch')
    .data(steps)
    .join('rect')
    .attr('class', 'swatch')
    .attr('x', (d) => bx(d))
    .attr('width', barW / 30 + 0.5)
    .attr('height', 10)
    .attr('fill', (d) => color(d + 1 / 60));
  drawAxis(
    bar,
    'bar-axis axis',
    d3.axisBottom(bx).tickValues([0, 0.25, 0.5, 0.75, 1]).tickFormat(d3.format('.2~f')),
    'translate(0,10)',
  );
  bar
    .selectAll('text.bar-label')
    .data(['φ'])
    .join('text')
    .attr('class', 'bar-label')
    .attr('x', barW + 10)
    .attr('y', 10)
    .attr('font-size', 14)
    .attr('fill', 'currentColor')
    .text((d) => d);
}
