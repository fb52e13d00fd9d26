/**
 * Small dense matrices as plain row-major arrays (`Mat[i][j]` = row i, column j). The explainer's
 * matrices are at most ~100×100, so plain float64 arrays are exact enough and easy to hand to the UI.
 */
export type Mat = number[][];

/** [rows, cols] of a matrix (an empty matrix is [0, 0]). */
export function shapeOf(m: Mat): [number, number] {
  return [m.length, m.length ? m[0].length : 0];
}

export function zeros(rows: number, cols: number): Mat {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function transpose(m: Mat): Mat {
  const [r, c] = shapeOf(m);
  return Array.from({ length: c }, (_, j) => Array.from({ length: r }, (_, i) => m[i][j]));
}

/** a [m, k] · b [k, n] → [m, n]. Throws on a shape mismatch (a programming error, not user input). */
export function matmul(a: Mat, b: Mat): Mat {
  const [m, k] = shapeOf(a);
  const [k2, n] = shapeOf(b);
  if (k !== k2) throw new Error(`matmul: [${m}, ${k}] · [${k2}, ${n}] do not fit`);
  const out = zeros(m, n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i][p];
      if (aip === 0) continue;
      const bp = b[p];
      const oi = out[i];
      for (let j = 0; j < n; j++) oi[j] += aip * bp[j];
    }
  }
  return out;
}

/** m [rows, cols] · x [cols] → [rows]. */
export function matVec(m: Mat, x: number[]): number[] {
  const [, c] = shapeOf(m);
  if (c !== x.length) throw new Error(`matVec: [${m.length}, ${c}] · [${x.length}] do not fit`);
  return m.map((row) => row.reduce((acc, v, j) => acc + v * x[j], 0));
}

export function add(a: Mat, b: Mat): Mat {
  return a.map((row, i) => row.map((v, j) => v + b[i][j]));
}

export function sub(a: Mat, b: Mat): Mat {
  return a.map((row, i) => row.map((v, j) => v - b[i][j]));
}

export function scale(a: Mat, s: number): Mat {
  return a.map((row) => row.map((v) => v * s));
}

/** Outer product b [m] ⊗ a [n] → [m, n] (a column times a row). */
export function outer(b: number[], a: number[]): Mat {
  return b.map((bi) => a.map((aj) => bi * aj));
}

/** Column j of m, as a vector. */
export function column(m: Mat, j: number): number[] {
  return m.map((row) => row[j]);
}

/** Frobenius norm √(Σ m_ij²). */
export function frobenius(m: Mat): number {
  let s = 0;
  for (const row of m) for (const v of row) s += v * v;
  return Math.sqrt(s);
}

/** max |a_ij − b_ij| (shapes must match). */
export function maxAbsDiff(a: Mat, b: Mat): number {
  let d = 0;
  a.forEach((row, i) => row.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i][j])))));
  return d;
}

/** Largest |v| in a matrix (0 for an empty one): used for symmetric colour scales. */
export function maxAbs(m: Mat): number {
  let d = 0;
  for (const row of m) for (const v of row) d = Math.max(d, Math.abs(v));
  return d;
}
