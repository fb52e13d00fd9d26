/**
 * The axis pieces every chart here repeats: an axis group drawn into its parent (created on the
 * first render, redrawn on every later one), an axis title, the index axis of a bar chart of
 * singular values, and round ticks for a byte axis. Renderers keep their own sizes and fonts.
 */
import * as d3 from 'd3';
import { binaryUnit } from '../engine/format/bytes';

/** An <svg> or a <g> to draw into, however it was selected. */
type Parent<P extends SVGElement, PD> = d3.Selection<P, PD, d3.BaseType, unknown>;

/**
 * Draws `axis` into the group `g.<first class of className>` of `parent`, joined once.
 * @param className e.g. "x-axis" or "x-axis axis" (the first class names the group)
 * @param transform where the group sits, e.g. "translate(0,240)"; null for none
 */
export function drawAxis<P extends SVGElement, PD>(
  parent: Parent<P, PD>,
  className: string,
  // d3's own axis types differ by scale; any of them draws into a <g>.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  axis: d3.Axis<any>,
  transform: string | null = null,
): d3.Selection<SVGGElement, null, P, PD> {
  return parent
    .selectAll<SVGGElement, null>(`g.${className.split(' ')[0]}`)
    .data([null])
    .join('g')
    .attr('class', className)
    .attr('transform', transform)
    .call(axis);
}

export interface AxisTitle {
  /** e.g. "x-label axis-label" (the first class names the element). */
  className: string;
  text: string;
  /** Where the title's centre sits, in the parent's coordinates. */
  x: number;
  y: number;
  /** Rotated to read upwards, as a y axis's title. */
  vertical?: boolean;
}

/** An axis title centred at (x, y), joined once into `parent`. */
export function drawAxisTitle<P extends SVGElement, PD>(
  parent: Parent<P, PD>,
  t: AxisTitle,
): d3.Selection<SVGTextElement, null, P, PD> {
  // rotate(-90) maps a local (x, y) to the screen's (y, −x): place the local point accordingly.
  return parent
    .selectAll<SVGTextElement, null>(`text.${t.className.split(' ')[0]}`)
    .data([null])
    .join('text')
    .attr('class', t.className)
    .attr('text-anchor', 'middle')
    .attr('transform', t.vertical ? 'rotate(-90)' : null)
    .attr('x', t.vertical ? -t.y : t.x)
    .attr('y', t.vertical ? t.x : t.y)
    .text(t.text);
}

/** One band per index 0…n−1 across [x0, x1], as the singular-value bar charts draw them. */
export function indexBands(n: number, x0: number, x1: number): d3.ScaleBand<number> {
  return d3
    .scaleBand<number>()
    .domain(d3.range(n))
    .range([x0, x1])
    .paddingInner(n > 40 ? 0.1 : 0.2);
}

/** The bottom axis of `indexBands`: labelled 1…n as σ₁…σₙ are, at most about 16 labels. */
export function indexAxis(x: d3.ScaleBand<number>): d3.Axis<number> {
  const n = x.domain().length;
  const every = Math.ceil(n / 16);
  return d3
    .axisBottom(x)
    .tickValues(d3.range(0, n).filter((i) => (i + 1) % every === 0 || i === 0))
    .tickFormat((i) => String(Number(i) + 1));
}

/** The x position between band k−1 and band k (the cut after the k-th bar). */
export function bandCut(x: d3.ScaleBand<number>, k: number, fallback: number): number {
  return (x(k) ?? fallback) - (x.step() * x.paddingInner()) / 2;
}

/**
 * A byte axis from 0 to at least `max`: round ticks in the one binary unit `max` is printed in
 * ("0 GiB", "0.5 GiB", … "2 GiB"), and the domain's end on the last tick.
 */
export function byteTicks(
  max: number,
  count = 5,
): { domain: [number, number]; ticks: number[]; format: (bytes: number) => string } {
  const unit = binaryUnit(max);
  const [, top] = d3.nice(0, max > 0 ? max / unit.size : 1, count);
  const ticks = d3.ticks(0, top, count).map((t) => t * unit.size);
  const number = d3.format('~g');
  return { domain: [0, top * unit.size], ticks, format: (bytes) => `${number(bytes / unit.size)} ${unit.name}` };
}
