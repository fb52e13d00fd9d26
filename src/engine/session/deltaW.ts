/**
 * What an adapter learned, for one module: ΔW = s·B·A [d_out, d_in] and its singular values.
 * rank(ΔW) ≤ r by construction; the spectrum shows it (σ_{r+1…} are zero up to float noise).
 */
import { matmulHost, svdHost } from '../lora/hostMath';
import type { LoraModuleWeights } from '../lora/types';
import type { HostTensor } from '../types';

export interface DeltaWView {
  module: string;
  /** [d_out, d_in] row-major ΔW = s·B·A. */
  shape: [number, number];
  data: Float32Array;
  /** All min(d_out, d_in) singular values, decreasing. */
  singularValues: Float64Array;
  /** LoRA: the adapter's rank; full: min(d_out, d_in), the most ΔW can have. */
  r: number;
  /** LoRA: s; full: 1. */
  scaling: number;
  /** Where ΔW comes from: s·B·A of an adapter, or W_full − W₀ of a fully fine-tuned copy. */
  kind?: 'lora' | 'full';
  /** Singular values above max(d)·σ₁·ε_f32: the numerical rank (≤ r). */
  numericalRank: number;
  frobenius: number;
}

const EPS_F32 = 1.1920929e-7;

/** ΔW and its full spectrum from an adapted module's factors (A [r, d_in], B [d_out, r]). */
export function deltaWView(module: string, w: LoraModuleWeights): DeltaWView {
  const [r, dIn] = w.A.shape;
  const dOut = w.B.shape[0];
  const prod = matmulHost(w.B.data, w.A.data, dOut, r, dIn); // [d_out, d_in] float64
  const data = new Float32Array(prod.length);
  let fro = 0;
  for (let i = 0; i < prod.length; i++) {
    const v = prod[i] * w.scaling;
    data[i] = v;
    fro += v * v;
  }
  return summarize(module, data, dOut, dIn, r, w.scaling, 'lora', fro);
}

function summarize(
  module: string,
  data: Float32Array,
  dOut: number,
  dIn: number,
  r: number,
  scaling: number,
  kind: 'lora' | 'full',
  fro: number,
): DeltaWView {
  const { S } = svdHost(data, dOut, dIn);
  const tol = Math.max(dOut, dIn) * (S[0] ?? 0) * EPS_F32 * 10;
  let numericalRank = 0;
  for (const s of S) if (s > tol) numericalRank++;
  return {
    module,
    shape: [dOut, dIn],
    data,
    singularValues: S,
    r,
    scaling,
    kind,
    numericalRank,
    frobenius: Math.sqrt(fro),
  };
}

/**
 * What full fine-tuning changed in one module: ΔW = W_full − W₀ as [d_out, d_in] and its
 * spectrum (nothing bounds its rank: typically every singular value is well above the noise).
 * @param w0 the base weight, @param w1 the fully fine-tuned one, same shape: [d_in, d_out] when
 *   `conv1d` (GPT-2's Conv1D layout, transposed here), else [d_out, d_in] (nn.Linear).
 */
export function fullDeltaWView(module: string, w0: HostTensor, w1: HostTensor, conv1d: boolean): DeltaWView {
  const [a, b] = w0.shape;
  if (w0.shape.length !== 2 || w1.shape.length !== 2 || w1.shape[0] !== a || w1.shape[1] !== b)
    throw new Error(`${module}: the two weights differ in shape ([${w0.shape}] vs [${w1.shape}])`);
  const [dOut, dIn] = conv1d ? [b, a] : [a, b];
  const data = new Float32Array(dOut * dIn);
  let fro = 0;
  for (let i = 0; i < dOut; i++)
    for (let j = 0; j < dIn; j++) {
      const k = conv1d ? j * dOut + i : i * dIn + j;
      const v = w1.data[k] - w0.data[k];
      data[i * dIn + j] = v;
      fro += v * v;
    }
  return summarize(module, data, dOut, dIn, Math.min(dOut, dIn), 1, 'full', fro);
}
