/**
 * Small 2-D loss surfaces for watching optimisers move: a long, narrow, tilted valley (an
 * ill-conditioned quadratic, where plain gradient descent zig-zags) and a Rosenbrock-style
 * curved valley. Plain TS, float64.
 */
export interface Surface {
  id: SurfaceId;
  label: string;
  /** The loss at (x, y). */
  f(x: number, y: number): number;
  /** ∇f at (x, y). */
  grad(x: number, y: number): [number, number];
  /** Plotted region: [xMin, xMax] × [yMin, yMax]. */
  bounds: { x: [number, number]; y: [number, number] };
  /** Where the minimum is (for the marker). */
  minimum: [number, number];
  /** A start point that shows the surface's difficulty. */
  defaultStart: [number, number];
  /** TeX formula shown beside the plot. */
  tex: string;
}

export type SurfaceId = 'valley' | 'rosenbrock';
export const SURFACE_IDS: readonly SurfaceId[] = ['valley', 'rosenbrock'];

// The valley's axes are turned by 30° so that no coordinate lines up with them: Adam's
// per-coordinate scaling then has real work to do, as it does on real networks.
const COS = Math.cos(Math.PI / 6);
const SIN = Math.sin(Math.PI / 6);
const STEEP = 20; // curvature across the valley vs 1 along it: condition number 20

const valley: Surface = {
  id: 'valley',
  label: 'narrow valley (quadratic, condition number 20)',
  f(x, y) {
    const u = COS * x + SIN * y;
    const v = -SIN * x + COS * y;
    return 0.5 * (u * u + STEEP * v * v);
  },
  grad(x, y) {
    const u = COS * x + SIN * y;
    const v = -SIN * x + COS * y;
    // ∂f/∂(x, y) = Rᵀ·(u, STEEP·v)
    return [COS * u - SIN * STEEP * v, SIN * u + COS * STEEP * v];
  },
  bounds: { x: [-3, 3], y: [-2, 2] },
  minimum: [0, 0],
  defaultStart: [-2.5, 0.2],
  tex: 'f(x,y)=\\tfrac12\\,(u^2+20\\,v^2),\\ (u,v)=\\text{(x,y) turned by }30^\\circ',
};

const rosenbrock: Surface = {
  id: 'rosenbrock',
  label: 'curved valley (Rosenbrock, b = 10)',
  f(x, y) {
    return (1 - x) ** 2 + 10 * (y - x * x) ** 2;
  },
  grad(x, y) {
    return [-2 * (1 - x) - 40 * x * (y - x * x), 20 * (y - x * x)];
  },
  bounds: { x: [-2, 2], y: [-1, 3] },
  minimum: [1, 1],
  defaultStart: [-1.5, 2.5],
  tex: 'f(x,y)=(1-x)^2+10\\,(y-x^2)^2',
};

export const SURFACES: Record<SurfaceId, Surface> = { valley, rosenbrock };

/** f on an nx × ny grid over the surface's bounds, row-major from (xMin, yMin); for contour plots. */
export function sampleSurface(s: Surface, nx: number, ny: number): Float64Array {
  const out = new Float64Array(nx * ny);
  const [x0, x1] = s.bounds.x;
  const [y0, y1] = s.bounds.y;
  for (let j = 0; j < ny; j++) {
    const y = y0 + ((y1 - y0) * j) / (ny - 1);
    for (let i = 0; i < nx; i++) out[j * nx + i] = s.f(x0 + ((x1 - x0) * i) / (nx - 1), y);
  }
  return out;
}

/**
 * The curvatures (eigenvalues of the Hessian, largest first) of a surface at a point, from central
 * differences of its gradient. Plain gradient descent with step lr is stable along a direction of
 * curvature λ only while lr < 2/λ.
 */
export function curvaturesAt(s: Surface, x: number, y: number, h = 1e-5): [number, number] {
  const [gxp, gyp] = s.grad(x + h, y);
  const [gxm, gym] = s.grad(x - h, y);
  const [gxq, gyq] = s.grad(x, y + h);
  const [gxn, gyn] = s.grad(x, y - h);
  const a = (gxp - gxm) / (2 * h); // ∂²f/∂x²
  const d = (gyq - gyn) / (2 * h); // ∂²f/∂y²
  const b = ((gyp - gym) / (2 * h) + (gxq - gxn) / (2 * h)) / 2; // ∂²f/∂x∂y, symmetrised
  const mid = (a + d) / 2;
  const rad = Math.sqrt(((a - d) / 2) ** 2 + b * b);
  return [mid + rad, mid - rad];
}
