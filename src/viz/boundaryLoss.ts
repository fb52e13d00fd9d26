/**
 * A small-multiple loss curve for one panel of the 2-D lab, on a React-owned <svg>: the training
 * loss against the step, y from 0 to a shared maximum so panels compare at a glance, with the
 * axis ends labelled. (The full-size comparison of all runs uses lossChart.)
 */
import * as d3 from 'd3';
import { drawAxis } from './axes';

export interface BoundaryLossOptions {
  width: number;
  height: number;
  /** Last step of the run: the x axis does not jump while training. */
  maxStep: number;
  /** Top of the y axis, shared by every panel. */
  maxLoss: number;
  color: string;
}

export function renderBoundaryLoss(
  svg: SVGSVGElement,
  points: { step: number; value: number }[],
  opts: BoundaryLossOptions,
): void {
  const { width, height } = opts;
  const m = { top: 8, right: 10, bottom: 18, left: 34 };
  const root = d3.select(svg).attr('viewBox', `0 0 ${width} ${height}`);
  const x = d3
    .scaleLinear()
    .domain([0, Math.max(1, opts.maxStep)])
    .range([m.left, width - m.right]);
  const top = Number.isFinite(opts.maxLoss) && opts.maxLoss > 0 ? opts.maxLoss : 1;
  const y = d3
    .scaleLinear()
    .domain([0, top])
    .range([height - m.bottom, m.top])
    .clamp(true);

  const xAxis = d3.axisBottom(x).tickValues([0, opts.maxStep]).tickFormat(d3.format('~s')).tickSizeOuter(0);
  drawAxis(root, 'x-axis', xAxis, `translate(0,${height - m.bottom})`);
  const yAxis = d3.axisLeft(y).tickValues([0, top]).tickFormat(d3.format('.2~f')).tickSizeOuter(0);
  drawAxis(root, 'y-axis', yAxis, `translate(${m.left},0)`);

  const line = d3
    .line<{ step: number; value: number }>()
    .defined((p) => Number.isFinite(p.value))
    .x((p) => x(p.step))
    .y((p) => y(p.value));
  root
    .selectAll<SVGPathElement, null>('path.curve')
    .data([null])
    .join('path')
    .attr('class', 'curve')
    .attr('fill', 'none')
    .attr('stroke', opts.color)
    .attr('stroke-width', 2)
    .attr('d', line(points) ?? '');
}
