/**
 * Large matrices (images, 32×32 … 96×96 weights) as one pixel per entry on a <canvas>; CSS scales
 * it up with `image-rendering: pixelated`. React owns the canvas; this only paints it.
 */
import * as d3 from 'd3';
import { drawAxis } from './axes';
import { colorScale, type Scheme } from './matrixColor';

export interface HeatmapOptions {
  /** Value range mapped onto the colour scale; values outside are clamped. */
  domain: [number, number];
  scheme: Scheme;
}

/** Paint `values` [rows, cols] into the canvas at one pixel per entry. */
export function renderHeatmap(canvas: HTMLCanvasElement, values: number[][], opts: HeatmapOptions) {
  const rows = values.length;
  const cols = rows ? values[0].length : 0;
  canvas.width = Math.max(1, cols);
  canvas.height = Math.max(1, rows);
  const ctx = canvas.getContext('2d');
  if (!ctx || rows === 0) return;
  const color = colorScale(opts.scheme, opts.domain);
  const img = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const c = d3.rgb(color(values[i][j]));
      const o = 4 * (i * cols + j);
      img.data[o] = c.r;
      img.data[o + 1] = c.g;
      img.data[o + 2] = c.b;
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

export interface LegendOptions {
  width?: number;
  /** Axis caption under the bar, e.g. "value". */
  label?: string;
  format?: (v: number) => string;
}

/** A horizontal colour bar with ticks for a heatmap's scale (SVG). */
export function renderHeatLegend(svg: SVGSVGElement, opts: HeatmapOptions & LegendOptions) {
  const width = opts.width ?? 260;
  const height = 58;
  const pad = 14;
  const root = d3.select(svg).attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  const color = colorScale(opts.scheme, opts.domain);
  const x = d3
    .scaleLinear()
    .domain(opts.domain)
    .range([pad, width - pad]);
  const steps = d3.range(0, 1.0001, 1 / 40).map((t) => opts.domain[0] + t * (opts.domain[1] - opts.domain[0]));
  root
    .selectAll('rect.swatch')
    .data(steps.slice(0, -1))
    .join('rect')
    .attr('class', 'swatch')
    .attr('x', (d) => x(d))
    .attr('width', (_, i) => x(steps[i + 1]) - x(steps[i]) + 0.5)
    .attr('y', 2)
    .attr('height', 14)
    .attr('fill', (d) => color(d));
  const axis = d3
    .axisBottom(x)
    .ticks(4)
    .tickFormat((d) => (opts.format ?? d3.format('.2~g'))(Number(d)));
  drawAxis(root, 'axis', axis, 'translate(0,16)').attr('font-size', 14);
  root
    .selectAll('text.caption')
    .data(opts.label ? [opts.label] : [])
    .join('text')
    .attr('class', 'caption')
    .attr('x', width / 2)
    .attr('y', height - 2)
    .attr('text-anchor', 'middle')
    .attr('font-size', 14)
    .attr('fill', 'currentColor')
    .text((d) => d);
}
