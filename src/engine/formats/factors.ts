/**
 * Shared by the format readers: pairing factor tensors by module, bringing each pair into PEFT's
 * orientation (A [r, d_in], B [d_out, r]) with its shapes checked, and the limits every reader
 * applies to untrusted files before any work.
 */
import { UserFacingError, type HostTensor } from '../types';
import type { AdapterModule, Lint } from './types';

/** Module names longer than this are refused (they only serve to slow every later step). */
export const MAX_NAME_LENGTH = 512;
/** At most this many factor pairs (a 70B model on all linear layers has 560). */
export const MAX_MODULES = 20_000;
/** Ranks above this are not analysed: the core SVD costs r³ and the QR (d_in + d_out)·r². */
export const MAX_RANK = 1024;

export const short = (s: string, n = 80): string => (s.length > n ? `${s.slice(0, n)}…` : s);
export const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** One module's two stored tensors, before orientation. */
export interface FactorPair {
  key: string;
  a?: HostTensor & { dtype: string };
  b?: HostTensor & { dtype: string };
  /** The stored tensor names of `a` and `b` (a lazily opened file reads them by these). */
  aKey?: string;
  bKey?: string;
}

/** Collects tensors into pairs by stem; `role` says which factor a tensor is. */
export class PairCollector {
  readonly pairs = new Map<string, FactorPair>();

  add(stem: string, role: 'a' | 'b', t: HostTensor & { dtype: string }, key?: string): void {
    if (stem.length > MAX_NAME_LENGTH)
      throw new UserFacingError(`a tensor name is ${stem.length} characters long (at most ${MAX_NAME_LENGTH})`);
    const p = this.pairs.get(stem) ?? { key: stem };
    p[role] = t;
    if (key !== undefined) p[role === 'a' ? 'aKey' : 'bKey'] = key;
    this.pairs.set(stem, p);
    if (this.pairs.size > MAX_MODULES)
      throw new UserFacingError(`more than ${MAX_MODULES} adapted modules; this is not an adapter of a known model`);
  }
}

/** The stored tensor names of a pair's factors, when the reader recorded them. */
export const tensorKeys = (p: FactorPair): { tensors?: { a: string; b: string } } =>
  p.aKey !== undefined && p.bKey !== undefined ? { tensors: { a: p.aKey, b: p.bKey } } : {};

/** Lints for pairs missing a half; returns the complete ones. */
export function completePairs(
  pairs: Iterable<FactorPair>,
  names: [string, string],
  lints: Lint[],
): (FactorPair & { a: HostTensor & { dtype: string }; b: HostTensor & { dtype: string } })[] {
  const out: (FactorPair & { a: HostTensor & { dtype: string }; b: HostTensor & { dtype: string } })[] = [];
  const broken: string[] = [];
  for (const p of pairs) {
    if (p.a && p.b) out.push(p as (typeof out)[number]);
    else broken.push(`${short(p.key)} has ${p.a ? names[0] : names[1]} but no ${p.a ? names[1] : names[0]}`);
  }
  if (broken.length > 0) {
    lints.push({
      id: 'unpaired',
      severity: 'error',
      message: `${broken.length} module${broken.length > 1 ? 's have' : ' has'} only one factor: ${broken.slice(0, 3).join('; ')}${broken.length > 3 ? '; …' : ''}`,
      fix: 'Re-export the adapter from the tool that trained it; a LoRA update needs both factors of every module',
    });
  }
  return out;
}

/** Transpose a row-major [rows, cols] F32 matrix. */
export function transposeF32(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

/**
 * Checks and flattens factors already in PEFT's orientation: A [r, d_in] or a conv kernel
 * [r, c_in, kh, kw] (flattened to [r, c_in·kh·kw]), B [d_out, r] or [d_out, r, 1, 1].
 * @throws UserFacingError naming the module when the shapes are not a LoRA pair.
 */
export function orientPeft(
  key: string,
  a: HostTensor,
  b: HostTensor,
): { A: HostTensor; B: HostTensor; r: number; kind: 'linear' | 'conv'; kernel?: number[] } {
  const bad = (why: string) =>
    new UserFacingError(`${short(key)}: ${why} (down/A is ${shapeText(a.shape)}, up/B is ${shapeText(b.shape)})`);
  if (a.shape.length === 4 && b.shape.length === 4) {
    const [r, cIn, kh, kw] = a.shape;
    const [dOut, rB, uh, uw] = b.shape;
    if (uh !== 1 || uw !== 1) throw bad('the up factor of a conv LoRA must be a 1×1 kernel');
    if (rB !== r) throw bad(`the factors disagree on the rank (${r} vs ${rB})`);
    return {
      A: { shape: [r, cIn * kh * kw], data: a.data },
      B: { shape: [dOut, r], data: b.data },
      r,
      kind: 'conv',
      kernel: [kh, kw],
    };
  }
  if (a.shape.length !== 2 || b.shape.length !== 2) throw bad('both factors must be matrices');
  if (a.shape[0] !== b.shape[1]) throw bad(`the factors disagree on the rank (${a.shape[0]} vs ${b.shape[1]})`);
  return { A: a, B: b, r: a.shape[0], kind: 'linear' };
}

/** Refuses ranks the analysis cannot afford, before any of it runs. */
export function checkRank(m: Pick<AdapterModule, 'key' | 'r'>): void {
  if (m.r < 1) throw new UserFacingError(`${short(m.key)} has rank 0: there is no update to inspect`);
  if (m.r > MAX_RANK)
    throw new UserFacingError(
      `${short(m.key)} has rank ${m.r}; this inspector analyses ranks up to ${MAX_RANK} (that is no longer a low-rank adapter)`,
    );
}

/** Formats a number for a scaling rule without float noise ("16", "0.5", "2.8284"). */
export const num = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6))));
