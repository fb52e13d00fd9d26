/**
 * Shrink an adapter to rank k: each module's ΔW = s·B·A is replaced by its best rank-k
 * approximation (truncated SVD from the factors; the svd mix of one adapter with weight 1), with
 * the error ‖ΔW − ΔW_k‖_F per module, and written as PEFT files (r = α = k, scaling 1, as PEFT's
 * own svd combination writes them).
 */
import type { ParsedAdapter } from '../formats/types';
import { combineSvd } from '../lora/combine';
import { exportAdapter, type AdapterFiles } from '../peft/exportAdapter';
import { UserFacingError } from '../types';
import { convertedCard } from './common';
import { toPeft, type ToPeftOptions } from './toPeft';

export interface ShrinkModule {
  name: string;
  fromRank: number;
  toRank: number;
  /** ‖ΔW‖_F before. */
  norm: number;
  /** ‖ΔW − B'·A'‖_F, measured from the factors in float64. */
  error: number;
  /** error / ‖ΔW‖_F (0 when ΔW = 0). */
  relative: number;
  /** √(Σ dropped σ²): what Eckart–Young says the error is. */
  droppedNorm: number;
}

export interface ShrinkResult {
  rank: number;
  modules: ShrinkModule[];
  files: AdapterFiles;
  /** ‖all errors‖ / ‖all ΔW‖ over the whole adapter. */
  relativeTotal: number;
}

/**
 * @param rank the new rank k ≥ 1; modules whose rank is already ≤ k keep their rank.
 * @throws UserFacingError for a bad rank or an adapter that cannot be written as PEFT.
 */
export function shrinkAdapter(parsed: ParsedAdapter, rank: number, opts: ToPeftOptions = {}): ShrinkResult {
  if (!Number.isInteger(rank) || rank < 1)
    throw new UserFacingError(`the new rank must be a whole number ≥ 1, got ${rank}`);
  const { adapter, baseModelName, notes } = toPeft(parsed, opts);
  const out = combineSvd([{ adapter, weight: 1 }], rank);
  const modules: ShrinkModule[] = [];
  let err2 = 0;
  let norm2 = 0;
  for (const [name, m] of adapter.modules) {
    const error = out.errors.get(name) ?? 0;
    const dropped = out.droppedSigmaNorms.get(name) ?? 0;
    // ‖ΔW‖² = ‖ΔW_k‖² + dropped², and ‖ΔW_k‖_F = ‖B'·A'‖_F = ‖B'‖_F because A' has orthonormal rows.
    const k = out.adapter.modules.get(name)!;
    let keep2 = 0;
    for (const v of k.B.data) keep2 += v * v;
    const norm = Math.sqrt(keep2 + dropped * dropped);
    err2 += error * error;
    norm2 += norm * norm;
    modules.push({
      name,
      fromRank: m.r,
      toRank: k.r,
      norm,
      error,
      relative: norm > 0 ? error / norm : 0,
      droppedNorm: dropped,
    });
  }
  const files = exportAdapter(out.adapter, { baseModelName, taskType: 'CAUSAL_LM' });
  const worst = modules.reduce((a, b) => (b.relative > a.relative ? b : a), modules[0]);
  files['README.md'] = convertedCard(
    out.adapter,
    `${parsed.format} (shrunk to rank ${rank} by truncated SVD)`,
    baseModelName,
    [
      ...notes,
      `each ΔW was replaced by its best rank-${rank} approximation; the largest relative error is ${(100 * worst.relative).toPrecision(3)} % (${worst.name})`,
    ],
  );
  return { rank, modules, files, relativeTotal: norm2 > 0 ? Math.sqrt(err2 / norm2) : 0 };
}
