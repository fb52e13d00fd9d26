/**
 * The singular values of ΔW = s·B·A as bars, with the two lines that make "rank(ΔW) ≤ r"
 * visible: the rank r (a vertical cut) and the float32 noise floor (a horizontal line). Bars above
 * the floor are solid; the rest are pale and hatched-light, so the split reads without colour.
 */
import * as d3 from 'd3';
import { bandCut, drawAxis, drawAxisTitle, indexAxis, indexBands } from './axes';

/** float32 machine epsilon. */
const EPS_F32 = 1.1920929e-7;

/**
 * The level below which a singular value of a float32 matrix [rows, cols] is rounding noise:
 * 10·max(rows, cols)·σ₁·ε_f32 (the rule the engine's DeltaWView.numericalRank counts with).
 */
export function spectrumNoiseFloor(singularValues: ArrayLike<number>, rows: number, cols: number): number {
  const top = singularValues.length ? singularValues[0] : 0;
  return Math.max(rows, cols) * top * EPS_F32 * 10;
}

/** How many singular values lie above the noise floor. */
export function countAboveFloor(singularValues: ArrayLike<number>, floor: number): number {
  let n = 0;
  for (let i = 0; i < singularValues.length; i++) if (singularValues[i] > floor) n++;
  return n;
}

export interface SpectrumData {
  /** Decreasing singular values. */
  values: ArrayLike<number>;
  /** The adapter's rank r (drawn as a cut after the r-th bar). */
  r: number;
  /** Values at or below this are drawn as noise. */
  floor: number;
}

export interface SpectrumOptions {
  width: number;
  height?: number;
  log?: boolean;
}

export function renderSpectrum(svg: SVGSVGElement, data: SpectrumData, opts: SpectrumOptions): void {
  const { width } = opts;
  const height = opts.height ?? 280;
  const m = { top: 22, right: 16, bottom: 50, left: 74 };
  const values = Array.from(data.values);
  const n = values.length;
  const root = d3.select(svg).attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  const x = indexBands(n, m.left, width - m.right);
  const max = d3.max(values) ?? 0;
  const top = max > 0 ? max : 1;
  // On a log axis exact zeros have no place: draw them as stubs at a bottom set well below the floor.
  const positive = values.filter((v) => v > 0);
  const bottom = Math.min(data.floor > 0 ? data.floor / 100 : top * 1e-9, d3.min(positive) ?? top) / 2;
  const y = opts.log
    ? d3
        .scaleLog()
        .domain([bottom, top])
        .range([height - m.bottom, m.top])
        .clamp(true)
    : d3
        .scaleLinear()
        .domain([0, top])
        .range([height - m.bottom, m.top])
        .nice();
  const base = height - m.bottom;
  const yOf = (v: number) => y(opts.log ? Math.max(v, bottom) : v);

  root
    .selectAll<SVGRectElement, number>('rect.sv')
    .data(values)
    .join('rect')
    .attr('class', (v) => `sv ${v > data.floor ? 'sv-signal' : 'sv-noise'}`)
    .attr('x', (_, i) => x(i) ?? 0)
    .attr('width', x.bandwidth())
    .attr('y', (v) => Math.min(base - 1, yOf(v)))
    .attr('height', (v) => Math.max(1, base - yOf(v)));

  drawAxis(root, 'x-axis', indexAxis(x), `translate(0,${base})`).attr('font-size', 13);
  const yAxis = opts.log ? d3.axisLeft(y).ticks(5, '.0e') : d3.axisLeft(y).ticks(5, '.2~g');
  drawAxis(root, 'y-axis', yAxis, `translate(${m.left},0)`).attr('font-size', 13);

  // The rank cut: at most r bars can stand left of it.
  const cut = data.r < n ? bandCut(x, data.r, m.left) : null;
  root
    .selectAll('line.rank-cut')
    .data(cut === null ? [] : [cut])
    .join('line')
    .attr('class', 'rank-cut')
    .attr('x1', (d) => d)
    .attr('x2', (d) => d)
    .attr('y1', m.top - 4)
    .attr('y2', base)
    .attr('stroke', 'currentColor')
    .attr('stroke-dasharray', '5 3');
  root
    .selectAll('text.rank-label')
    .data(cut === null ? [] : [cut])
    .join('text')
    .attr('class', 'rank-label')
    .attr('x', (d) => d + 4)
    .attr('y', m.top - 8)
    .attr('font-size', 13)
    .attr('fill', 'currentColor')
    .text(`r = ${data.r}`);

  const showFloor = data.floor > 0 && (!opts.log ? data.floor / top > 0.01 : true);
  const floorY = showFloor ? yOf(data.floor) : null;
  root
    .selectAll('line.floor')
    .data(floorY === null ? [] : [floorY])
    .join('line')
    .attr('class', 'floor')
    .attr('x1', m.left)
    .attr('x2', width - m.right)
    .attr('y1', (d) => d)
    .attr('y2', (d) => d)
    .attr('stroke', 'currentColor')
    .attr('stroke-width', 1)
    .attr('stroke-dasharray', '2 3');
  root
    .selectAll('text.floor-label')
    .data(floorY === null ? [] : [floorY])
    .join('text')
    .attr('class', 'floor-label')
    .attr('x', width - m.right - 4)
    .attr('y', (d) => d - 5)
    .attr('text-anchor', 'end')
    .attr('font-size', 13)
    .attr('fill', 'currentColor')
    .text('float32 noise floor');

  const titles = [
    { className: 'x-label axis-label', text: 'index i', x: (m.left + width - m.right) / 2, y: height - 8 },
    {
      className: 'y-label axis-label',
      text: opts.log ? 'σᵢ (log scale)' : 'σᵢ',
      x: 18,
      y: (m.top + base) / 2,
      vertical: true,
    },
  ];
  for (const t of titles) drawAxisTitle(root, t).attr('font-size', 14).attr('fill', 'currentColor');
}
