/**
 * Contours of a 2-D loss surface with optimiser paths drawn over them, and a start point the
 * user can drag. d3 draws into a React-owned <svg>; the caller owns the state (start, paths).
 */
import * as d3 from 'd3';
import { drawAxis, drawAxisTitle } from './axes';

export interface ContourPath {
  id: string;
  label: string;
  points: [number, number][];
  color: string;
  dash: string;
}

export interface ContourData {
  /** f sampled on an nx × ny grid over `bounds`, row-major from (xMin, yMin). */
  values: Float64Array;
  nx: number;
  ny: number;
  bounds: { x: [number, number]; y: [number, number] };
  minimum: [number, number];
  start: [number, number];
  paths: ContourPath[];
}

export interface ContourOptions {
  width: number;
  height: number;
  /** Called while the start point is dragged, in surface coordinates (clamped to the bounds). */
  onStartChange?: (p: [number, number]) => void;
}

export function renderContourPlot(svgEl: SVGSVGElement, d: ContourData, o: ContourOptions): void {
  const m = { top: 12, right: 16, bottom: 50, left: 56 };
  const w = o.width - m.left - m.right;
  const h = o.height - m.top - m.bottom;
  const svg = d3.select(svgEl).attr('viewBox', `0 0 ${o.width} ${o.height}`).classed('viz-contour', true);
  const x = d3.scaleLinear().domain(d.bounds.x).range([0, w]);
  const y = d3.scaleLinear().domain(d.bounds.y).range([h, 0]);
  const dx = (d.bounds.x[1] - d.bounds.x[0]) / (d.nx - 1);
  const dy = (d.bounds.y[1] - d.bounds.y[0]) / (d.ny - 1);

  // Losses span orders of magnitude: space the levels geometrically from near the minimum.
  const hi = d3.max(d.values) ?? 1;
  const lo = Math.max(hi * 1e-4, 1e-3);
  const levels = d3.range(14).map((i) => lo * (hi / lo) ** (i / 13));
  const contours = d3.contours().size([d.nx, d.ny]).thresholds(levels)(Array.from(d.values));
  // Grid cell i is sampled at i (d3 places it at i + 0.5): shift back half a cell.
  const proj = d3.geoTransform({
    point(px, py) {
      this.stream.point(x(d.bounds.x[0] + (px - 0.5) * dx), y(d.bounds.y[0] + (py - 0.5) * dy));
    },
  });
  const path = d3.geoPath(proj);
  // Light fills only, so the paths on top keep their contrast.
  const fill = d3.scaleSequentialLog((v: number) => d3.interpolateBlues(0.04 + 0.4 * v)).domain([lo, hi]);

  const clipId = `clip-${svgEl.id || 'contour'}`;
  svg
    .selectAll('defs')
    .data([null])
    .join('defs')
    .selectAll('clipPath')
    .data([null])
    .join('clipPath')
    .attr('id', clipId)
    .selectAll('rect')
    .data([null])
    .join('rect')
    .attr('width', w)
    .attr('height', h);
  const g = svg
    .selectAll<SVGGElement, null>('g.plot')
    .data([null])
    .join('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${m.left},${m.top})`);
  const cg = g
    .selectAll<SVGGElement, null>('g.contours')
    .data([null])
    .join('g')
    .attr('class', 'contours')
    .attr('clip-path', `url(#${clipId})`);
  cg.selectAll('path')
    .data(contours)
    .join('path')
    .attr('d', path)
    .attr('fill', (c) => fill(c.value))
    .attr('fill-opacity', 0.8)
    .attr('stroke', '#5a6a85')
    .attr('stroke-opacity', 0.5)
    .attr('stroke-width', 1);

  drawAxis(g, 'x-axis axis', d3.axisBottom(x).ticks(6), `translate(0,${h})`);
  drawAxis(g, 'y-axis axis', d3.axisLeft(y).ticks(5));
  drawAxisTitle(g, { className: 'x-label axis-label', text: 'parameter x', x: w / 2, y: h + 42 });
  drawAxisTitle(g, { className: 'y-label axis-label', text: 'parameter y', x: -40, y: h / 2, vertical: true });

  const pg = g
    .selectAll<SVGGElement, null>('g.paths')
    .data([null])
    .join('g')
    .attr('class', 'paths')
    .attr('clip-path', `url(#${clipId})`);
  const line = d3
    .line<[number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(p[1]));
  const series = pg
    .selectAll<SVGGElement, ContourPath>('g.opt')
    .data(d.paths, (p) => p.id)
    .join('g')
    .attr('class', 'opt');
  series
    .selectAll('path')
    .data((p) => [p])
    .join('path')
    .attr('fill', 'none')
    .attr('stroke', (p) => p.color)
    .attr('stroke-width', 3)
    .attr('stroke-dasharray', (p) => p.dash)
    .attr('d', (p) => line(p.points));
  series
    .selectAll('circle')
    .data((p) => p.points.slice(1).map((pt) => ({ pt, c: p.color })))
    .join('circle')
    .attr('r', 3)
    .attr('fill', (q) => q.c)
    .attr('cx', (q) => x(q.pt[0]))
    .attr('cy', (q) => y(q.pt[1]));

  // The minimum: a cross; the start: a large ring you can grab.
  const [mx, my] = [x(d.minimum[0]), y(d.minimum[1])];
  g.selectAll('path.minimum')
    .data([null])
    .join('path')
    .attr('class', 'minimum')
    .attr('d', `M${mx - 8},${my - 8}L${mx + 8},${my + 8}M${mx - 8},${my + 8}L${mx + 8},${my - 8}`)
    .attr('stroke', 'currentColor')
    .attr('stroke-width', 3);
  const start = g
    .selectAll<SVGCircleElement, null>('circle.start')
    .data([null])
    .join('circle')
    .attr('class', 'start')
    .attr('cx', x(d.start[0]))
    .attr('cy', y(d.start[1]))
    .attr('r', 10)
    .attr('fill', 'var(--bg)')
    .attr('fill-opacity', 0.7)
    .attr('stroke', 'currentColor')
    .attr('stroke-width', 3)
    .style('cursor', o.onStartChange ? 'grab' : 'default');
  if (o.onStartChange) {
    const on = o.onStartChange;
    const clamp = (v: number, [a, b]: [number, number]) => Math.min(b, Math.max(a, v));
    start.call(
      d3.drag<SVGCircleElement, null>().on('drag', (ev: d3.D3DragEvent<SVGCircleElement, null, unknown>) => {
        on([clamp(x.invert(ev.x), d.bounds.x), clamp(y.invert(ev.y), d.bounds.y)]);
      }),
    );
    // A click anywhere on the plot moves the start there too.
    svg.on('click', (ev: MouseEvent) => {
      const [px, py] = d3.pointer(ev, g.node());
      if (px >= 0 && px <= w && py >= 0 && py <= h) on([x.invert(px), y.invert(py)]);
    });
  }
}
