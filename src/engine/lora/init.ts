/**
 * Initial LoRA factors in PEFT layout (A [r, d_in], B [d_out, r]), drawn on the host with a
 * seeded RNG so every backend starts from the same numbers
 * (peft/tuners/lora/layer.py `reset_lora_parameters`, `pissa_init`).
 */
import { Rng, kaimingUniformBound } from '../rng';
import { UserFacingError } from '../types';
import { matmulHost, transposeHost, truncatedFactors } from './hostMath';
import type { InitLoraWeights } from './types';

export interface InitFactors {
  /** [r, d_in] */
  A: Float32Array;
  /** [d_out, r] */
  B: Float32Array;
  /** PiSSA only: the new base weight W − s·B·A in the module's compute layout [d_in, d_out]. */
  residualKernel?: Float32Array;
}

/**
 * @param kernel PiSSA only: the base weight in compute layout [d_in, d_out].
 */
export function initLoraFactors(
  init: InitLoraWeights,
  dIn: number,
  dOut: number,
  r: number,
  scaling: number,
  rng: Rng,
  kernel?: Float32Array,
): InitFactors {
  if (init === 'pissa') {
    if (!kernel) throw new Error('pissa init needs the base weight');
    if (r > Math.min(dIn, dOut)) {
      throw new UserFacingError(`pissa: rank ${r} exceeds min(d_in, d_out) = ${Math.min(dIn, dOut)}`);
    }
    const W = transposeHost(kernel, dIn, dOut); // [d_out, d_in]
    // W ≈ U_r·Σ_r·V_rᵀ; PEFT splits Σ_r/s evenly: B = U_r·√(Σ_r/s), A = √(Σ_r/s)·V_rᵀ, so s·B·A = U_r·Σ_r·V_rᵀ.
    const { left, right } = truncatedFactors(W, dOut, dIn, r, 'sqrt');
    const inv = 1 / Math.sqrt(scaling);
    const B = left.map((v) => v * inv);
    const A = right.map((v) => v * inv);
    const BA = matmulHost(B, A, dOut, r, dIn); // [d_out, d_in]
    const residual = new Float32Array(dOut * dIn);
    for (let i = 0; i < residual.length; i++) residual[i] = W[i] - scaling * BA[i];
    return { A, B, residualKernel: transposeHost(residual, dOut, dIn) };
  }
  if (init === 'gaussian') {
    return { A: rng.normalArray(r * dIn, 1 / r), B: new Float32Array(dOut * r) };
  }
  // PyTorch nn.Linear's default init is kaiming_uniform(a=√5): bound 1/√fan_in.
  const A = rng.uniformArray(r * dIn, kaimingUniformBound(dIn));
  if (init === true) return { A, B: new Float32Array(dOut * r) };
  // false: PEFT leaves both at nn.Linear's default (B's fan_in is r). Debugging only: ΔW ≠ 0 at step 0.
  return { A, B: rng.uniformArray(dOut * r, kaimingUniformBound(r)) };
}
