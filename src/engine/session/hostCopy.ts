/**
 * Host copies of a session's adapters: plain AdapterWeights kept outside the device, so that a
 * lost GPU device loses no adapter. Factors never change once an adapter exists except while it
 * is trained (the caller names those), so a refresh reads back only adapters it has not seen.
 */
import type { AdapterWeights } from '../lora/types';
import type { AdapterWorkspace } from './adapterWorkspace';

export class HostAdapters {
  private readonly weights = new Map<string, AdapterWeights>();
  private active: string | null = null;
  private merged: string[] = [];

  /**
   * Bring the copies up to date with a session's adapters: read back adapters not copied yet and
   * those in `fresh` (just created or trained under a name that may have been used before),
   * forget deleted ones, and note which one is active and which are merged.
   */
  async refresh(workspace: AdapterWorkspace, fresh: readonly string[] = []): Promise<void> {
    const infos = workspace.adapters();
    const names = new Set(infos.map((a) => a.name));
    for (const name of [...this.weights.keys()]) if (!names.has(name)) this.weights.delete(name);
    for (const name of names) {
      if (!this.weights.has(name) || fresh.includes(name)) this.weights.set(name, await workspace.adapterWeights(name));
    }
    this.active = infos.find((a) => a.active)?.name ?? null;
    this.merged = infos.filter((a) => a.merged).map((a) => a.name);
  }

  /** Replace one adapter's copy (e.g. with the last finite snapshot of the adapter being trained). */
  set(name: string, weights: AdapterWeights): void {
    this.weights.set(name, weights);
  }

  get(name: string): AdapterWeights | undefined {
    return this.weights.get(name);
  }

  names(): string[] {
    return [...this.weights.keys()];
  }

  clear(): void {
    this.weights.clear();
    this.active = null;
    this.merged = [];
  }

  /**
   * Put every copied adapter except `skip` on a freshly opened session's workspace, then
   * re-activate the one that was active and re-merge the merged ones (in their order). Returns
   * the names restored.
   */
  restoreInto(workspace: AdapterWorkspace, skip: string | null = null): string[] {
    const restored: string[] = [];
    for (const [name, w] of this.weights) {
      if (name === skip) continue;
      restored.push(workspace.restoreAdapter(name, w));
    }
    // activate() unmerges everything first, so merging comes after it.
    workspace.activate(this.active !== null && restored.includes(this.active) ? this.active : null);
    for (const name of this.merged) if (restored.includes(name)) workspace.merge(name);
    return restored;
  }
}

/** Largest |a − b| over every factor of two adapters with the same modules (Infinity if they differ). */
export function adapterMaxAbsDiff(a: AdapterWeights, b: AdapterWeights): number {
  if (a.modules.size !== b.modules.size) return Infinity;
  let max = 0;
  for (const [path, ma] of a.modules) {
    const mb = b.modules.get(path);
    if (!mb || ma.A.data.length !== mb.A.data.length || ma.B.data.length !== mb.B.data.length) return Infinity;
    for (const [x, y] of [
      [ma.A.data, mb.A.data],
      [ma.B.data, mb.B.data],
    ]) {
      for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
    }
  }
  return max;
}

/** True when every value of an adapter (or of a map of tensors) is finite. */
export function allFinite(w: AdapterWeights | Map<string, { data: Float32Array }>): boolean {
  const arrays =
    'config' in w ? [...w.modules.values()].flatMap((m) => [m.A.data, m.B.data]) : [...w.values()].map((t) => t.data);
  return arrays.every((d) => d.every(Number.isFinite));
}
