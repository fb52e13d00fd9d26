/**
 * A layers × module-type grid (rows: layers, columns: module types), one coloured cell per adapted
 * module, for ‖ΔW‖_F or effective rank across a whole adapter. Cells of modules the adapter does
 * not touch stay empty. Values are printed inside the cells when they fit, so the grid reads
 * without hovering and without colour.
 */
import { drawAxis } from './axes';
import * as d3 from 'd3';
import { textOn } from './matrixColor';

export interface LayerGridData {
  rows: string[];
  cols: string[];
  /** [row][col], null where there is no module. */
  values: (number | null)[][];
}

export interface LayerGridOptions {
  /** Caption of the colour bar, e.g. "‖ΔW‖_F". */
  label: string;
  /** Width available in CSS pixels (the grid shrinks its cells to fit). */
  width?: number;
  format?: (v: number) => string;
}

const M = { top: 110, right: 16, bottom: 56, left: 96 };

export function renderLayerGrid(svg: SVGSVGElement, data: LayerGridData, opts: LayerGridOptions): void {
  const format = opts.format ?? d3.format('.3~g');
  const avail = (opts.width ?? 640) - M.left - M.right;
  const cellW = Math.max(10, Math.min(72, avail / Math.max(1, data.cols.length)));
  const cellH = Math.max(4, Math.min(26, 640 / Math.max(1, data.rows.length)));
  const width = M.left + M.right + cellW * data.cols.length;
  const height = M.top + M.bottom + cellH * data.rows.length;
  const all = data.values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = d3.min(all) ?? 0;
  const hi = d3.max(all) ?? 1;
  const domain: [number, number] = lo === hi ? [lo - 1, hi + 1] : [lo, hi];
  const color = d3.scaleSequential(d3.interpolateCividis).domain(domain);
  const root = d3.select(svg).attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);

  const cells = data.values.flatMap((row, i) => row.map((v, j) => ({ i, j, v })));
  const showText = cellW >= 34 && cellH >= 16;
  const g = root
    .selectAll<SVGGElement, null>('g.cells')
    .data([null])
    .join('g')
    .attr('class', 'cells')
    .attr('transform', `translate(${M.left},${M.top})`);
  g.selectAll<SVGRectElement, (typeof cells)[number]>('rect.cell')
    .data(cells)
    .join('rect')
    .attr('class', (d) => (d.v === null ? 'cell cell-empty' : 'cell'))
    .attr('x', (d) => d.j * cellW)
    .attr('y', (d) => d.i * cellH)
    .attr('width', Math.max(1, cellW - 1))
    .attr('height', Math.max(1, cellH - 1))
    .attr('fill', (d) => (d.v === null || !Number.isFinite(d.v) ? 'none' : color(d.v)));
  g.selectAll<SVGTextElement, (typeof cells)[number]>('text.cell-value')
    .data(showText ? cells.filter((d) => d.v !== null && Number.isFinite(d.v)) : [])
    .join('text')
    .attr('class', 'cell-value')
    .attr('x', (d) => d.j * cellW + (cellW - 1) / 2)
    .attr('y', (d) => d.i * cellH + (cellH - 1) / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'middle')
    .attr('font-size', Math.min(12, cellH - 4))
    .attr('fill', (d) => textOn(color(d.v as number)))
    .text((d) => format(d.v as number));

  // Row labels: every layer when they fit, else every k-th.
  const every = Math.ceil(13 / cellH);
  root
    .selectAll<SVGTextElement, string>('text.row-label')
    .data(data.rows.map((r, i) => ({ r, i })).filter(({ i }) => i % every === 0))
    .join('text')
    .attr('class', 'row-label')
    .attr('x', M.left - 6)
    .attr('y', ({ i }) => M.top + i * cellH + cellH / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .attr('font-size', 12)
    .attr('fill', 'currentColor')
    .text(({ r }) => (r.length > 14 ? `${r.slice(0, 13)}…` : r));
  root
    .selectAll<SVGTextElement, string>('text.col-label')
    .data(data.cols.map((c, j) => ({ c, j })))
    .join('text')
    .attr('class', 'col-label')
    .attr('transform', ({ j }) => `translate(${M.left + j * cellW + cellW / 2},${M.top - 6}) rotate(-55)`)
    .attr('font-size', 12)
    .attr('fill', 'currentColor')
    .text(({ c }) => (c.length > 18 ? `…${c.slice(-17)}` : c));

  // Colour bar under the grid.
  const barW = Math.min(240, width - M.left - M.right);
  const x = d3
    .scaleLinear()
    .domain(domain)
    .range([M.left, M.left + barW]);
  const steps = d3.range(0, 1.0001, 1 / 30).map((t) => domain[0] + t * (domain[1] - domain[0]));
  const barY = M.top + cellH * data.rows.length + 10;
  root
    .selectAll('rect.swatch')
    .data(steps.slice(0, -1))
    .join('rect')
    .attr('class', 'swatch')
    .attr('x', (d) => x(d))
    .attr('width', (_, i) => x(steps[i + 1]) - x(steps[i]) + 0.5)
    .attr('y', barY)
    .attr('height', 10)
    .attr('fill', (d) => color(d));
  drawAxis(
    root,
    'bar-axis',
    d3
      .axisBottom(x)
      .ticks(4)
      .tickFormat((d) => format(Number(d))),
    `translate(0,${barY + 10})`,
  ).attr('font-size', 12);
  root
    .selectAll('text.bar-label')
    .data([opts.label])
    .join('text')
    .attr('class', 'bar-label')
    .attr('x', M.left + barW + 10)
    .attr('y', barY + 9)
    .attr('font-size', 13)
    .attr('fill', 'currentColor')
    .text((d) => d);
}
