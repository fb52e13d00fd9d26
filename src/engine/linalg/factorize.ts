/**
 * Rank factorizations W [m, n] = B [m, r] · A [r, n] (the paper's names: B tall, A wide).
 * The exact one is Strang's CR factorization: B = the pivot columns of W, A = the non-zero rows
 * of rref(W). For the worked example [2 4 6; 3 6 9; 4 8 12] that gives exactly [2;3;4]·[1 2 3].
 */
import { matmul, maxAbs, maxAbsDiff, shapeOf, sub, frobenius, type Mat } from './dense';
import { numericalRank, thinSvd, truncatedFactors, type ThinSvd } from './svd';

export interface CrFactors {
  /** W's pivot columns [m, k]. */
  B: Mat;
  /** The k non-zero rows of rref(W) [k, n]. */
  A: Mat;
  /** Indices of W's pivot columns (length k). */
  pivots: number[];
}

/**
 * CR factorization by Gauss–Jordan elimination with partial (row) pivoting. Entries of size
 * ≤ `tol` count as zero, so the number of pivots is the rank at that tolerance.
 */
export function crFactorization(W: Mat, tol: number): CrFactors {
  const [m, n] = shapeOf(W);
  const R = W.map((row) => row.slice());
  const pivots: number[] = [];
  let row = 0;
  for (let col = 0; col < n && row < m; col++) {
    let p = row;
    for (let i = row + 1; i < m; i++) if (Math.abs(R[i][col]) > Math.abs(R[p][col])) p = i;
    if (Math.abs(R[p][col]) <= tol) continue;
    [R[p], R[row]] = [R[row], R[p]];
    const piv = R[row][col];
    R[row] = R[row].map((v) => v / piv);
    R[row][col] = 1;
    for (let i = 0; i < m; i++) {
      if (i === row) continue;
      const f = R[i][col];
      if (f === 0) continue;
      R[i] = R[i].map((v, j) => v - f * R[row][j]);
      R[i][col] = 0;
    }
    pivots.push(col);
    row++;
  }
  return { B: W.map((r) => pivots.map((j) => r[j])), A: R.slice(0, pivots.length), pivots };
}

export type FactorMethod = 'cr' | 'svd-exact' | 'svd-truncated';

export interface RankFactorization {
  /** Tall factor [m, r]. */
  B: Mat;
  /** Wide factor [r, n]. */
  A: Mat;
  /** B·A [m, n]. */
  product: Mat;
  /** max |W − B·A|. */
  maxError: number;
  /** ‖W − B·A‖_F. */
  froError: number;
  /** The numerical rank of W. */
  rank: number;
  /**
   * 'cr': exact CR factors; 'svd-exact': SVD factors at W's rank; 'svd-truncated': best rank-r approximation
   * (r < rank).
   */
  method: FactorMethod;
}

/**
 * Factor W [m, n] into B [m, r] · A [r, n].
 * - r ≥ rank(W): exact (CR when elimination agrees with the SVD rank, else SVD factors),
 *   padded with r − rank zero columns/rows: W simply needs no more.
 * - r < rank(W): no exact factorization exists; return the best one (SVD truncation) and its error.
 */
export function factorAtRank(W: Mat, r: number, svd: ThinSvd = thinSvd(W)): RankFactorization {
  const [m, n] = shapeOf(W);
  const { rank, tol } = numericalRank(W, svd);
  let B: Mat;
  let A: Mat;
  let method: FactorMethod;
  if (r < rank) {
    ({ B, A } = truncatedFactors(svd, r));
    method = 'svd-truncated';
  } else {
    const cr = crFactorization(W, tol);
    const crOk =
      cr.pivots.length === rank && (rank === 0 || maxAbsDiff(W, matmul(cr.B, cr.A)) <= 1e-9 * Math.max(1, maxAbs(W)));
    ({ B, A } = crOk ? cr : truncatedFactors(svd, rank));
    method = crOk ? 'cr' : 'svd-exact';
    B = B.map((row) => [...row, ...new Array<number>(r - rank).fill(0)]);
    A = [...A, ...Array.from({ length: r - rank }, () => new Array<number>(n).fill(0))];
  }
  const product = r === 0 ? Array.from({ length: m }, () => new Array<number>(n).fill(0)) : matmul(B, A);
  return { B, A, product, maxError: maxAbsDiff(W, product), froError: frobenius(sub(W, product)), rank, method };
}
