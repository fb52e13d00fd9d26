/**
 * A classifier's decision boundary on a React-owned <canvas>: the class-1 probability of every
 * grid cell as a colour (orange = class 0, blue = class 1, pale near 0.5; Okabe–Ito hues, safe
 * for the common colour-vision deficiencies), the p = 0.5 contour as a dark line, and the
 * labelled points on top (class 0 circles, class 1 squares, so shape alone tells them apart).
 */
import * as d3 from 'd3';
import { OKABE_ITO } from './palette';

/** Okabe–Ito vermilion and blue: the class colours of points and, lightened, of the heatmap. */
export const CLASS_COLORS = [OKABE_ITO.vermillion, OKABE_ITO.blue] as const;

export interface BoundaryData {
  /** P(class 1) for res×res cells, row 0 at the top (largest y), column 0 at the left. */
  probability: Float32Array;
  res: number;
  /** The window [−extent, extent]² the grid covers. */
  extent: number;
  /** Points [n, 2] row-major with labels 0/1. */
  points: { x: Float32Array; y: Int32Array; n: number };
}

export interface BoundaryOptions {
  /** Drawn size in CSS pixels (the canvas is square). */
  size: number;
  /** Radius of a point in CSS pixels. Default 2.6. */
  pointRadius?: number;
}

const heat = d3
  .scaleLinear<string>()
  .domain([0, 0.5, 1])
  .range(['#f4b183', '#f7f7f7', '#8cc3e8'])
  .interpolate(d3.interpolateLab)
  .clamp(true);

/** Heatmap colour of a class-1 probability, as [r, g, b] bytes (NaN draws mid-grey). */
export function probabilityColor(p: number): [number, number, number] {
  if (!Number.isFinite(p)) return [160, 160, 160];
  const c = d3.rgb(heat(p));
  return [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
}

export function renderBoundary(canvas: HTMLCanvasElement, data: BoundaryData, opts: BoundaryOptions): void {
  const { res, probability, extent, points } = data;
  if (probability.length !== res * res)
    throw new RangeError(`probability has ${probability.length} cells, expected ${res}×${res}`);
  const dpr = typeof window === 'undefined' ? 1 : Math.min(3, window.devicePixelRatio || 1);
  const px = Math.round(opts.size * dpr);
  if (canvas.width !== px) canvas.width = px;
  if (canvas.height !== px) canvas.height = px;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);

  // Paint one pixel per cell off-screen, then scale up with smoothing: a soft field like TF Playground's.
  const cells = document.createElement('canvas');
  cells.width = res;
  cells.height = res;
  const img = new ImageData(res, res);
  for (let i = 0; i < res * res; i++) {
    const [r, g, b] = probabilityColor(probability[i]);
    img.data.set([r, g, b, 255], 4 * i);
  }
  cells.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.clearRect(0, 0, opts.size, opts.size);
  ctx.drawImage(cells, 0, 0, opts.size, opts.size);

  // Axes through the origin, faint, for orientation when the data rotates.
  const toPx = d3.scaleLinear().domain([-extent, extent]).range([0, opts.size]);
  ctx.strokeStyle = 'rgba(0,0,0,0.18)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(toPx(0), 0);
  ctx.lineTo(toPx(0), opts.size);
  ctx.moveTo(0, toPx(0));
  ctx.lineTo(opts.size, toPx(0));
  ctx.stroke();

  // The decision boundary: marching squares on the grid. d3's contour coordinates put cell i's
  // sample at i + 0.5, the same convention as the image, so scaling by the cell size aligns them.
  const finite = Float64Array.from(probability, (p) => (Number.isFinite(p) ? p : 0.5));
  const [contour] = d3.contours().size([res, res]).thresholds([0.5])(Array.from(finite));
  const cell = opts.size / res;
  const path = d3.geoPath(
    d3.geoTransform({
      point(x, y) {
        this.stream.point(x * cell, y * cell);
      },
    }),
    ctx,
  );
  ctx.beginPath();
  path(contour);
  ctx.strokeStyle = '#1b1b1b';
  ctx.lineWidth = 2;
  ctx.stroke();

  const r = opts.pointRadius ?? 2.6;
  for (let i = 0; i < points.n; i++) {
    const cx = toPx(points.x[2 * i]);
    const cy = opts.size - toPx(points.x[2 * i + 1]);
    const label = points.y[i];
    ctx.beginPath();
    if (label === 0) ctx.arc(cx, cy, r, 0, 2 * Math.PI);
    else ctx.rect(cx - r, cy - r, 2 * r, 2 * r);
    ctx.fillStyle = CLASS_COLORS[label] ?? '#777';
    ctx.fill();
    ctx.lineWidth = 0.9;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
  }
}
