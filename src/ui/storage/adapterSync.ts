/**
 * Keeps the adapters on the loaded base and the ones in storage in step: restore what storage has
 * once per loaded base, then save whatever the base has that storage lacks (trained, imported,
 * mixed). All storage work runs one call at a time, so two pages or effects cannot interleave.
 */
import type { AdapterInfo } from '../../engine/session/types';
import type { AdapterWeights } from '../../engine/lora/types';
import { StorageFullError, type AdapterStore } from './adapterStore';
import { errorMessage } from '../../engine/types';

/** The part of the Worker's adapter workspace the sync needs (the real one answers through comlink). */
export interface SyncApi {
  adapters(): Promise<AdapterInfo[]> | AdapterInfo[];
  restoreAdapter(name: string, weights: AdapterWeights): Promise<string> | string;
  adapterWeights(name: string): Promise<AdapterWeights> | AdapterWeights;
  activate(name: string | null): Promise<void> | void;
}

export interface SyncReport {
  /** Names the restored adapters got on the base (a clash renames the stored one: "x-2"). */
  restored: string[];
  saved: string[];
  /** One sentence per adapter that could not be restored or saved. */
  problems: string[];
  /** Set when a save ran out of space (the "Browser storage is full…" sentence). */
  storageFull: string | null;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `fn` after every storage operation queued before it. */
export function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Adds every stored adapter of `base` to the loaded model, then re-activates whatever was active
 * before (restoring activates each adapter). Anything already on the base was created after this
 * load, so a stored adapter of the same name is restored under a new name, and storage follows.
 */
export async function restoreStored(
  api: SyncApi,
  store: AdapterStore,
  base: string,
): Promise<Pick<SyncReport, 'restored' | 'problems'>> {
  const before = await api.adapters();
  const active = before.find((a) => a.active)?.name ?? null;
  const restored: string[] = [];
  const problems: string[] = [];
  for (const s of await store.list(base)) {
    try {
      const name = await api.restoreAdapter(s.name, s.weights);
      if (name !== s.name) await store.rename(base, s.name, name);
      restored.push(name);
    } catch (e) {
      problems.push(`Stored adapter '${s.name}' could not be restored: ${errorMessage(e)}`);
    }
  }
  if (restored.length > 0) await api.activate(active);
  return { restored, problems };
}

/** Saves every adapter on the base that storage does not have yet. Stops at the first full-storage error. */
export async function saveMissing(
  api: SyncApi,
  store: AdapterStore,
  base: string,
): Promise<Pick<SyncReport, 'saved' | 'problems' | 'storageFull'>> {
  const stored = new Set((await store.list(base)).map((s) => s.name));
  const saved: string[] = [];
  const problems: string[] = [];
  for (const a of await api.adapters()) {
    if (stored.has(a.name)) continue;
    try {
      await store.put(base, a.name, await api.adapterWeights(a.name));
      saved.push(a.name);
    } catch (e) {
      if (e instanceof StorageFullError) return { saved, problems, storageFull: e.message };
      problems.push(`Adapter '${a.name}' was not saved in the browser: ${errorMessage(e)}`);
    }
  }
  return { saved, problems, storageFull: null };
}

/** Models (by their summary object, new on every load) whose stored adapters were restored. */
const restoredModels = new WeakSet<object>();

/**
 * Restore (once per loaded model) then save what is missing. `model` is the loaded model's summary
 * object: a new load gives a new object, so its adapters are restored again.
 */
export function syncAdapters(api: SyncApi, store: AdapterStore, model: { name: string }): Promise<SyncReport> {
  return exclusive(async () => {
    let restored: string[] = [];
    const problems: string[] = [];
    if (!restoredModels.has(model)) {
      restoredModels.add(model);
      const r = await restoreStored(api, store, model.name);
      restored = r.restored;
      problems.push(...r.problems);
    }
    const s = await saveMissing(api, store, model.name);
    return { restored, saved: s.saved, problems: [...problems, ...s.problems], storageFull: s.storageFull };
  });
}
