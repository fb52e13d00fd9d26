import type { Mat } from '../../../../engine/linalg/dense';

/** Resize a matrix to rows×cols, keeping the overlap and filling new entries with `fill`. */
export function fit(m: Mat, rows: number, cols: number, fill = 0): Mat {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => m[i]?.[j] ?? fill));
}
