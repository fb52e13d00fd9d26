/**
 * Matching a checkpoint's tensor names and shapes against what a config implies, before any
 * tensor data is read: every family's loader (in-memory and streaming) goes through this, so a
 * wrong file is refused by name in bounded time.
 */
import { UserFacingError, sizeOf, type TensorMap } from '../types';

/** How a family names and shapes its parameters. */
export interface WeightNaming {
  /** "GPT-2", "Llama": for messages. */
  label: string;
  /** [HF name, HF shape] of every parameter, in state_dict order. */
  expected: [string, number[]][];
  /** The canonical name of a stored tensor, or null for a buffer/tied copy that is ignored. */
  canonical(raw: string): string | null;
}

/** One tensor to load: its canonical name and shape, and the name it has in the file. */
export interface PlannedTensor {
  name: string;
  shape: number[];
  source: string;
}

function listSome(names: string[]): string {
  const head = names.slice(0, 4).join(', ');
  return names.length > 4 ? `${head} and ${names.length - 4} more` : head;
}

/**
 * Which stored tensor feeds each parameter.
 * @param stored name → shape of every tensor in the checkpoint (all shards).
 * @returns the parameters in state_dict order with their source names.
 * @throws UserFacingError naming missing, unexpected, duplicated or mis-shaped tensors.
 */
export function planWeights(naming: WeightNaming, stored: Map<string, readonly number[]>): PlannedTensor[] {
  const byName = new Map<string, { source: string; shape: readonly number[] }>();
  const unexpected: string[] = [];
  const problems: string[] = [];
  const wanted = new Set(naming.expected.map(([n]) => n));
  for (const [raw, shape] of stored) {
    const name = naming.canonical(raw);
    if (name === null) continue;
    if (!wanted.has(name)) {
      unexpected.push(raw);
      continue;
    }
    const prev = byName.get(name);
    if (prev) problems.push(`${prev.source} and ${raw} both hold ${name}`);
    byName.set(name, { source: raw, shape });
  }
  const missing = naming.expected.filter(([n]) => !byName.has(n)).map(([n]) => n);
  if (missing.length) problems.unshift(`missing ${listSome(missing)}`);
  if (unexpected.length) problems.push(`unexpected ${listSome(unexpected)}`);
  const out: PlannedTensor[] = [];
  for (const [name, shape] of naming.expected) {
    const t = byName.get(name);
    if (!t) continue;
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      problems.push(`${name} has shape [${t.shape.join(', ')}], config.json implies [${shape.join(', ')}]`);
    }
    out.push({ name, shape: [...shape], source: t.source });
  }
  if (problems.length)
    throw new UserFacingError(`${naming.label} weights do not match config.json: ${problems.join('; ')}`);
  return out;
}

/** planWeights for weights already in memory: the canonical map, in state_dict order. */
export function normalizeWeights(naming: WeightNaming, weights: TensorMap): TensorMap {
  const plan = planWeights(naming, new Map([...weights].map(([n, t]) => [n, t.shape])));
  const out: TensorMap = new Map();
  for (const p of plan) {
    const t = weights.get(p.source)!;
    if (t.data.length !== sizeOf(p.shape)) {
      throw new UserFacingError(`${p.source} holds ${t.data.length} values, its shape needs ${sizeOf(p.shape)}`);
    }
    out.set(p.name, { shape: p.shape, data: t.data });
  }
  return out;
}
