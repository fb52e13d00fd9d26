/**
 * Stored-number and cost arithmetic for one adapted linear layer W0 [d_out, d_in] with
 * LoRA factors B [d_out, r] and A [r, d_in]. FLOPs count a multiply-add as 2, per input vector.
 */

/** Numbers stored by the full matrix: d_out·d_in. */
export function fullCount(dOut: number, dIn: number): number {
  return dOut * dIn;
}

/** Numbers stored (and trained) by the factors: r·(d_out + d_in). */
export function loraCount(dOut: number, dIn: number, r: number): number {
  return r * (dOut + dIn);
}

export interface PathCost {
  /** FLOPs for one input vector x [d_in]. */
  flops: number;
  /** Numbers kept in memory for this layer. */
  stored: number;
}

/** Merged layer: y = W·x with W = W0 + s·B·A computed once ahead of time. */
export function mergedCost(dOut: number, dIn: number): PathCost {
  return { flops: 2 * dOut * dIn, stored: dOut * dIn };
}

/**
 * Unmerged layer: y = W0·x + s·B·(A·x). A·x costs 2·r·d_in, B·(…) 2·d_out·r, the scaling and the
 * final add d_out each. Stores W0 plus both factors.
 */
export function unmergedCost(dOut: number, dIn: number, r: number): PathCost {
  return {
    flops: 2 * dOut * dIn + 2 * r * dIn + 2 * dOut * r + 2 * dOut,
    stored: dOut * dIn + r * (dOut + dIn),
  };
}

/**
 * The largest rank at which the factors store fewer numbers than the matrix itself:
 * r·(m + n) < m·n ⇔ r < m·n / (m + n). 0 when no rank saves anything (e.g. a 1×n matrix).
 */
export function loraBreakEvenRank(dOut: number, dIn: number): number {
  return Math.ceil((dOut * dIn) / (dOut + dIn)) - 1;
}
