/**
 * Seeded draws for the learning demos, so they start from the same numbers on every backend and
 * after every reload: a URL then reproduces the exact view.
 */
export { mulberry32 } from '../rng';

/** n numbers uniform on [-bound, bound). */
export function uniformArray(rand: () => number, n: number, bound: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rand() - 1) * bound;
  return out;
}

/** n numbers from N(0, std²) by Box–Muller. */
export function normalArray(rand: () => number, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand(); // (0, 1]: log(0) would be -∞
    const v = rand();
    const rad = Math.sqrt(-2 * Math.log(u));
    out[i] = std * rad * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = std * rad * Math.sin(2 * Math.PI * v);
  }
  return out;
}
