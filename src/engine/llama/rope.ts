/**
 * Rotary position embeddings as transformers computes them (modeling_rope_utils.py):
 * inv_freq_j = θ^(−2j/hd) for j < hd/2, optionally rescaled ("linear", "llama3"); angles
 * pos·inv_freq duplicated to length hd; q' = q·cos + rotate_half(q)·sin with
 * rotate_half([x1, x2]) = [−x2, x1] on the two halves of the head (not interleaved pairs).
 * Plain float64 on the host: the model uploads the tables, the reference reads them.
 */
import { UserFacingError } from '../types';

/** The rotary rescalings implemented here (others are refused by name). */
export type RopeScaling =
  | { rope_type: 'linear'; factor: number }
  | {
      rope_type: 'llama3';
      factor: number;
      low_freq_factor: number;
      high_freq_factor: number;
      original_max_position_embeddings: number;
    };

type Obj = Record<string, unknown>;

const num = (o: Obj, key: string, where: string): number => {
  const v = o[key];
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
    throw new UserFacingError(
      `config.json: ${where}.${key} must be a positive number, got ${JSON.stringify(v ?? null)}`,
    );
  return v;
};

/**
 * θ and the scaling from config.json: `rope_theta` + `rope_scaling` (transformers 4.x) or
 * `rope_parameters` (5.x, which carries rope_theta inside). null/"default" ⇒ plain rotary.
 */
export function parseRope(o: Obj): { theta: number; scaling: RopeScaling | null } {
  const params = o.rope_parameters;
  const where = params !== undefined && params !== null ? 'rope_parameters' : 'rope_scaling';
  const raw = where === 'rope_parameters' ? params : o.rope_scaling;
  const thetaRaw = where === 'rope_parameters' ? ((raw as Obj).rope_theta ?? o.rope_theta) : o.rope_theta;
  const theta = thetaRaw ?? 10000;
  if (typeof theta !== 'number' || !(theta > 1) || !Number.isFinite(theta))
    throw new UserFacingError(`config.json: "rope_theta" must be a number above 1, got ${JSON.stringify(theta)}`);
  if (raw === undefined || raw === null) return { theta, scaling: null };
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new UserFacingError(`config.json: "${where}" must be an object or null`);
  const r = raw as Obj;
  const type = r.rope_type ?? r.type ?? 'default';
  if (type === 'default') return { theta, scaling: null };
  if (type === 'linear') return { theta, scaling: { rope_type: 'linear', factor: num(r, 'factor', where) } };
  if (type === 'llama3') {
    const s: RopeScaling = {
      rope_type: 'llama3',
      factor: num(r, 'factor', where),
      low_freq_factor: num(r, 'low_freq_factor', where),
      high_freq_factor: num(r, 'high_freq_factor', where),
      original_max_position_embeddings: num(r, 'original_max_position_embeddings', where),
    };
    if (!(s.high_freq_factor > s.low_freq_factor))
      throw new UserFacingError(`config.json: ${where}.high_freq_factor must exceed low_freq_factor`);
    return { theta, scaling: s };
  }
  throw new UserFacingError(
    `config.json: ${where} type ${JSON.stringify(type)} is not supported (supported: none, "default", "linear", "llama3")`,
  );
}

/** inv_freq [hd/2] in float64, with the scaling applied (transformers' `_compute_*_parameters`). */
export function ropeInvFreq(headDim: number, theta: number, scaling: RopeScaling | null): Float64Array {
  const half = headDim / 2;
  const inv = new Float64Array(half);
  for (let j = 0; j < half; j++) inv[j] = 1 / theta ** ((2 * j) / headDim);
  if (!scaling) return inv;
  if (scaling.rope_type === 'linear') return inv.map((f) => f / scaling.factor);
  const { factor, low_freq_factor: lo, high_freq_factor: hi, original_max_position_embeddings: old } = scaling;
  const lowWavelen = old / lo;
  const highWavelen = old / hi;
  return inv.map((f) => {
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highWavelen) return f; // high frequencies: unchanged
    if (wavelen > lowWavelen) return f / factor; // low frequencies: divided by factor
    const smooth = (old / wavelen - lo) / (hi - lo); // in between: interpolated
    return (1 - smooth) * (f / factor) + smooth * f;
  });
}

/** cos and sin tables [T, hd] (angles duplicated over the two halves), float64. */
export function ropeTables(
  T: number,
  headDim: number,
  theta: number,
  scaling: RopeScaling | null,
): { cos: Float64Array; sin: Float64Array } {
  const inv = ropeInvFreq(headDim, theta, scaling);
  const half = headDim / 2;
  const cos = new Float64Array(T * headDim);
  const sin = new Float64Array(T * headDim);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < half; j++) {
      const a = t * inv[j];
      cos[t * headDim + j] = cos[t * headDim + j + half] = Math.cos(a);
      sin[t * headDim + j] = sin[t * headDim + j + half] = Math.sin(a);
    }
  }
  return { cos, sin };
}
