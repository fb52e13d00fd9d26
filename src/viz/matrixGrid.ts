/**
 * A small matrix drawn as coloured cells with their values printed inside (SVG), for matrices up
 * to ~8×8 where every number should be readable. React owns the <svg>; this draws its children.
 */
import * as d3 from 'd3';
// d3's bundle is marked side-effect free, so the build drops selection.transition() unless the
// module that patches it in is imported for its side effect.
import 'd3-transition';
import { fitText } from './fitText';
import { colorScale, symmetricDomain, textOn, type Scheme } from './matrixColor';

export interface GridOptions {
  /** Cell size in px (default 52). */
  cell?: number;
  /** Value → text (default: up to 4 significant digits). */
  format?: (v: number) => string;
  /** Colour domain (default: symmetric around 0 over this matrix). */
  domain?: [number, number];
  scheme?: Scheme;
  /** Milliseconds for colour/value changes; 0 when the user prefers reduced motion. */
  transitionMs?: number;
  /** Cells to outline, as "i,j" keys (e.g. cells that differ from a reference). */
  highlight?: Set<string>;
  /** Font size of the values in px (default 15; keep ≥ 14 for projectors). */
  fontSize?: number;
}

type Cell = { i: number; j: number; v: number };

const defaultFormat = (v: number) => (Math.abs(v) < 1e-12 ? '0' : String(Number(v.toPrecision(4))));

/** Width and height in px that `drawGrid` needs for a rows×cols matrix. */
export function gridSize(rows: number, cols: number, cell = 52): { width: number; height: number } {
  return { width: cols * cell + 1, height: rows * cell + 1 };
}

/** Draw a matrix into a <g> (reused by composite figures such as the outer-product view). */
export function drawGrid(
  g: d3.Selection<SVGGElement, unknown, null, undefined>,
  values: number[][],
  opts: GridOptions = {},
) {
  const cell = opts.cell ?? 52;
  const fmt = opts.format ?? defaultFormat;
  const color = colorScale(opts.scheme ?? 'diverging', opts.domain ?? symmetricDomain(values));
  const ms = opts.transitionMs ?? 0;
  const cells: Cell[] = values.flatMap((row, i) => row.map((v, j) => ({ i, j, v })));
  const groups = g
    .selectAll<SVGGElement, Cell>('g.cell')
    .data(cells, (d) => `${d.i},${d.j}`)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'cell');
      e.append('rect');
      e.append('text').attr('text-anchor', 'middle').attr('dominant-baseline', 'central');
      return e;
    })
    .attr('transform', (d) => `translate(${d.j * cell + 0.5},${d.i * cell + 0.5})`);
  const rects = groups
    .select('rect')
    .attr('width', cell - 2)
    .attr('height', cell - 2)
    .attr('x', 1)
    .attr('y', 1)
    .attr('rx', 3)
    .attr('stroke', (d) => (opts.highlight?.has(`${d.i},${d.j}`) ? 'currentColor' : 'none'))
    .attr('stroke-width', (d) => (opts.highlight?.has(`${d.i},${d.j}`) ? 3 : 0));
  (ms > 0 ? rects.transition().duration(ms) : rects).attr('fill', (d) => color(d.v));
  groups
    .select<SVGTextElement>('text')
    .attr('x', cell / 2)
    .attr('y', cell / 2)
    .attr('font-size', opts.fontSize ?? 15)
    .attr('fill', (d) => textOn(color(d.v)))
    .text((d) => fmt(d.v))
    // A long value ("-13.562") is squeezed to stay 2 px inside its cell, at any font size.
    .each(function () {
      fitText(this, cell - 6);
    });
}

export interface MatrixGridData {
  values: number[][];
}

/** Render a matrix into an <svg>, sizing the svg to fit. */
export function renderMatrixGrid(svg: SVGSVGElement, data: MatrixGridData, opts: GridOptions = {}) {
  const rows = data.values.length;
  const cols = rows ? data.values[0].length : 0;
  const { width, height } = gridSize(rows, cols, opts.cell);
  const root = d3.select(svg).attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  const g = root.selectAll<SVGGElement, null>('g.grid').data([null]).join('g').attr('class', 'grid').node();
  if (g) drawGrid(d3.select(g), data.values, opts);
}
