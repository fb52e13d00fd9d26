/**
 * B·A as a sum of outer products: B·A = Σ_i b_i·a_iᵀ (b_i = column i of B, a_iᵀ = row i of A).
 * Three panels: the current term as a multiplication table (b_i down the side, a_iᵀ along the
 * top), the running sum of the first `step` terms, and the target.
 */
import * as d3 from 'd3';
import { drawGrid, gridSize } from './matrixGrid';
import { symmetricDomain } from './matrixColor';

export interface OuterProductsData {
  /** Tall factor [m, r]. */
  B: number[][];
  /** Wide factor [r, n]. */
  A: number[][];
  /** How many terms are added so far (0 … r). The current term is number `step` (1-based). */
  step: number;
  /** What the sum should reach (e.g. W). */
  target: number[][];
}

export interface OuterProductsOptions {
  cell?: number;
  format?: (v: number) => string;
  transitionMs?: number;
}

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
const subscript = (k: number) => String(k).replace(/\d/g, (d) => SUBSCRIPTS[Number(d)]);

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

function panel(root: d3.Selection<SVGSVGElement, unknown, null, undefined>, key: string, x: number, y: number): G {
  const node = root
    .selectAll<SVGGElement, string>(`g.panel-${key}`)
    .data([key])
    .join('g')
    .attr('class', `panel-${key}`)
    .attr('transform', `translate(${x},${y})`)
    .node() as SVGGElement;
  return d3.select(node);
}

function caption(g: G, text: string, x: number, y: number) {
  g.selectAll('text.caption')
    .data([text])
    .join('text')
    .attr('class', 'caption')
    .attr('x', x)
    .attr('y', y)
    .attr('font-size', 15)
    .attr('fill', 'currentColor')
    .text((d) => d);
}

export function renderOuterProducts(svg: SVGSVGElement, data: OuterProductsData, opts: OuterProductsOptions = {}) {
  const cell = opts.cell ?? 46;
  const m = data.target.length;
  const n = m ? data.target[0].length : 0;
  const r = data.A.length;
  const i = Math.max(0, Math.min(data.step, r)) - 1; // index of the term just added (−1: none yet)
  const bi = data.B.map((row) => (i >= 0 ? row[i] : 0));
  const ai = i >= 0 ? data.A[i] : new Array<number>(n).fill(0);
  const term = bi.map((b) => ai.map((a) => b * a));
  const sum = data.target.map((row, p) =>
    row.map((_, q) => d3.sum(d3.range(i + 1), (t) => data.B[p][t] * data.A[t][q])),
  );
  const domain = symmetricDomain([...data.target, ...term, ...sum, [d3.max(bi.map(Math.abs)) ?? 0], ai]);
  const scaleRef = Math.max(1, domain[1]);
  const reaches = sum.every((row, p) => row.every((v, q) => Math.abs(v - data.target[p][q]) <= 1e-9 * scaleRef));
  const common = { cell, format: opts.format, transitionMs: opts.transitionMs, domain };
  const { width: gridW, height: gh } = gridSize(m, n, cell);
  // Each panel is at least as wide as its caption so narrow matrices do not run captions together.
  const gw = Math.max(gridW, 150);
  const gap = 56;
  const top = 28 + cell + 6; // caption + the a_iᵀ row
  const termX = cell + 6;
  const sumX = termX + gw + gap;
  const targetX = sumX + gw + gap;
  const width = targetX + gw + 2;
  const height = top + gh + 4;
  const root = d3.select(svg).attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);

  const bCol = panel(root, 'b', 0, top);
  drawGrid(
    bCol,
    bi.map((v) => [v]),
    common,
  );
  const aRow = panel(root, 'a', termX, top - cell - 6);
  drawGrid(aRow, [ai], common);
  const termG = panel(root, 'term', termX, top);
  drawGrid(termG, term, common);
  caption(
    panel(root, 'term-cap', 0, 18),
    i >= 0 ? `term ${i + 1}: b${subscript(i + 1)}·a${subscript(i + 1)}ᵀ` : 'no term yet',
    0,
    0,
  );
  const sumG = panel(root, 'sum', sumX, top);
  drawGrid(sumG, sum, common);
  caption(panel(root, 'sum-cap', sumX, top - 10), `sum of ${i + 1} of ${r} term${r === 1 ? '' : 's'}`, 0, 0);
  const tG = panel(root, 'target', targetX, top);
  drawGrid(tG, data.target, common);
  caption(panel(root, 'target-cap', targetX, top - 10), 'W (target)', 0, 0);
  root
    .selectAll('text.op')
    .data([
      { t: '→', x: termX + gw + gap / 2 },
      { t: reaches ? '=' : '≠', x: sumX + gw + gap / 2 },
    ])
    .join('text')
    .attr('class', 'op')
    .attr('x', (d) => d.x)
    .attr('y', top + gh / 2)
    .attr('text-anchor', 'middle')
    .attr('dominant-baseline', 'central')
    .attr('font-size', 24)
    .attr('fill', 'currentColor')
    .text((d) => d.t);
}
