import { describe, expect, it } from 'vitest';
import type { AdapterWeights } from '../../engine/lora/types';
import type { AdapterInfo } from '../../engine/session/types';
import {
  adapterBytes,
  isQuotaError,
  StorageFullError,
  storageFullMessage,
  type AdapterStore,
  type StoredAdapter,
} from './adapterStore';
import { restoreStored, saveMissing, syncAdapters, type SyncApi } from './adapterSync';

const weights = (seed: number): AdapterWeights => ({
  config: {
    r: 1,
    lora_alpha: 1,
    lora_dropout: 0,
    target_modules: ['c_attn'],
    use_rslora: false,
    init_lora_weights: true,
    rank_pattern: {},
    alpha_pattern: {},
    fan_in_fan_out: true,
    bias: 'none',
  },
  modules: new Map([
    [
      'h.0.c_attn',
      {
        A: { shape: [1, 2], data: Float32Array.of(seed, 1) },
        B: { shape: [3, 1], data: Float32Array.of(1, 2, seed) },
        r: 1,
        alpha: 1,
        scaling: 1,
      },
    ],
  ]),
});

/** A base with adapters by name, behaving like LmSession (import activates, names made unique). */
class FakeApi implements SyncApi {
  list = new Map<string, AdapterWeights>();
  active: string | null = null;
  failOn = new Set<string>();
  adapters(): AdapterInfo[] {
    return [...this.list.keys()].map((name) => ({
      name,
      active: name === this.active,
      merged: false,
      r: 1,
      alpha: 1,
      useRslora: false,
      targets: ['c_attn'],
      modules: 1,
      params: 5,
      bytes: 20,
    }));
  }
  restoreAdapter(name: string, w: AdapterWeights): string {
    if (this.failOn.has(name)) throw new Error(`adapter "${name}" does not fit this model`);
    let unique = name;
    for (let i = 2; this.list.has(unique); i++) unique = `${name}-${i}`;
    this.list.set(unique, w);
    this.active = unique;
    return unique;
  }
  adapterWeights(name: string): AdapterWeights {
    return this.list.get(name)!;
  }
  activate(name: string | null): void {
    this.active = name;
  }
}

/** An in-memory store; `capacity` adapters per base before it reports a full disk. */
class MemoryStore implements AdapterStore {
  rows = new Map<string, StoredAdapter>();
  constructor(private capacity = Infinity) {}
  private key = (b: string, n: string) => `${b}\u0000${n}`;
  async list(base: string) {
    return [...this.rows.values()].filter((r) => r.base === base);
  }
  async put(base: string, name: string, w: AdapterWeights) {
    const kept = (await this.list(base)).length;
    if (kept >= this.capacity) throw new StorageFullError(storageFullMessage(kept, name));
    this.rows.set(this.key(base, name), { base, name, savedAt: this.rows.size, bytes: adapterBytes(w), weights: w });
  }
  async remove(base: string, name: string) {
    this.rows.delete(this.key(base, name));
  }
  async rename(base: string, from: string, to: string) {
    const r = this.rows.get(this.key(base, from));
    if (!r) return;
    this.rows.delete(this.key(base, from));
    this.rows.set(this.key(base, to), { ...r, name: to });
  }
}

describe('adapter persistence sync', () => {
  it('restores stored adapters of the same base only, and keeps the active one active', async () => {
    const store = new MemoryStore();
    await store.put('tiny', 'names', weights(1));
    await store.put('other-base', 'dates', weights(2));
    const api = new FakeApi();
    const r = await restoreStored(api, store, 'tiny');
    expect(r).toEqual({ restored: ['names'], problems: [] });
    expect([...api.list.keys()]).toEqual(['names']);
    expect(api.active).toBeNull();
    expect(api.list.get('names')!.modules.get('h.0.c_attn')!.A.data).toEqual(Float32Array.of(1, 1));
  });

  it('a stored adapter whose name is taken by a new one is restored as "name-2" and storage follows', async () => {
    const store = new MemoryStore();
    await store.put('tiny', 'names', weights(1));
    const api = new FakeApi();
    api.restoreAdapter('names', weights(9)); // trained after this load, before the sync ran
    const report = await syncAdapters(api, store, { name: 'tiny' });
    expect(report.restored).toEqual(['names-2']);
    expect(report.saved).toEqual(['names']);
    expect(api.active).toBe('names');
    const stored = new Map(
      (await store.list('tiny')).map((s) => [s.name, s.weights.modules.get('h.0.c_attn')!.A.data[0]]),
    );
    expect(stored).toEqual(
      new Map([
        ['names-2', 1],
        ['names', 9],
      ]),
    );
  });

  it('restores once per loaded model, and again for a new load', async () => {
    const store = new MemoryStore();
    await store.put('tiny', 'a', weights(1));
    const api = new FakeApi();
    const model = { name: 'tiny' };
    expect((await syncAdapters(api, store, model)).restored).toEqual(['a']);
    expect((await syncAdapters(api, store, model)).restored).toEqual([]);
    expect([...api.list.keys()]).toEqual(['a']);
    const fresh = new FakeApi(); // the base was loaded again: a new session with no adapters
    expect((await syncAdapters(fresh, store, { name: 'tiny' })).restored).toEqual(['a']);
  });

  it('reports an adapter that no longer fits, and restores the others', async () => {
    const store = new MemoryStore();
    await store.put('tiny', 'old', weights(1));
    await store.put('tiny', 'good', weights(2));
    const api = new FakeApi();
    api.failOn.add('old');
    const r = await restoreStored(api, store, 'tiny');
    expect(r.restored).toEqual(['good']);
    expect(r.problems).toEqual([`Stored adapter 'old' could not be restored: adapter "old" does not fit this model`]);
  });

  it('says how many adapters were kept when storage is full', async () => {
    const store = new MemoryStore(1);
    const api = new FakeApi();
    api.restoreAdapter('first', weights(1));
    api.restoreAdapter('second', weights(2));
    const r = await saveMissing(api, store, 'tiny');
    expect(r.saved).toEqual(['first']);
    expect(r.storageFull).toBe(
      "Browser storage is full: 1 adapter kept, 'second' was not saved. Delete some adapters here (or other sites' data in the browser's settings) and it will be saved on the next change.",
    );
  });

  it('recognises the browsers’ quota errors and nothing else', () => {
    expect(isQuotaError({ name: 'QuotaExceededError', message: 'x' })).toBe(true);
    expect(isQuotaError({ name: 'AbortError', message: 'Transaction aborted: quota exceeded' })).toBe(true);
    expect(isQuotaError({ name: 'AbortError', message: 'aborted' })).toBe(false);
    expect(isQuotaError(new TypeError('x'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});
