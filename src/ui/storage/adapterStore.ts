/**
 * Adapters kept in the browser's IndexedDB (through `idb`), keyed by [base model name, adapter
 * name], so each base gets back its own adapters after a reload. Weights are stored as plain data
 * (Float32Arrays and Maps are structured-clonable), never as live tensors.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AdapterWeights } from '../../engine/lora/types';

export interface StoredAdapter {
  base: string;
  name: string;
  /** Epoch ms of the last save. */
  savedAt: number;
  /** Bytes of the factors (fp32), for the storage table. */
  bytes: number;
  weights: AdapterWeights;
}

/** What the sync logic needs from a store (IndexedDB here, a Map in unit tests). */
export interface AdapterStore {
  list(base: string): Promise<StoredAdapter[]>;
  put(base: string, name: string, weights: AdapterWeights): Promise<void>;
  remove(base: string, name: string): Promise<void>;
  rename(base: string, from: string, to: string): Promise<void>;
}

interface LowrankDb extends DBSchema {
  adapters: { key: [string, string]; value: StoredAdapter; indexes: { byBase: string } };
}

const DB_NAME = 'lowrank';
const DB_VERSION = 1;

/** Raised when the browser refuses a write for lack of space; the message is for the user. */
export class StorageFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageFullError';
  }
}

/** True for the errors browsers raise when a site's storage quota is used up. */
export function isQuotaError(e: unknown): boolean {
  if (!(e instanceof Error) && !(typeof e === 'object' && e !== null && 'name' in e)) return false;
  const { name, message } = e as { name?: unknown; message?: unknown };
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
  // Some engines abort the transaction and only say why in the message.
  return name === 'AbortError' && typeof message === 'string' && /quota/i.test(message);
}

/** The sentence shown when an adapter could not be saved for lack of space. */
export function storageFullMessage(kept: number, name: string): string {
  return `Browser storage is full: ${kept} adapter${kept === 1 ? '' : 's'} kept, '${name}' was not saved. Delete some adapters here (or other sites' data in the browser's settings) and it will be saved on the next change.`;
}

/** fp32 bytes of an adapter's factors. */
export function adapterBytes(weights: AdapterWeights): number {
  let n = 0;
  for (const m of weights.modules.values()) n += m.A.data.length + m.B.data.length;
  return n * 4;
}

let dbPromise: Promise<IDBPDatabase<LowrankDb>> | null = null;

function db(): Promise<IDBPDatabase<LowrankDb>> {
  dbPromise ??= openDB<LowrankDb>(DB_NAME, DB_VERSION, {
    upgrade(d) {
      const store = d.createObjectStore('adapters', { keyPath: ['base', 'name'] });
      store.createIndex('byBase', 'base');
    },
  }).catch((e: unknown) => {
    dbPromise = null; // let a later call try again (e.g. after the user allows storage)
    throw e;
  });
  return dbPromise;
}

/** Copies only the plain fields: a value from the Worker may carry nothing else, but be sure. */
function plainWeights(w: AdapterWeights): AdapterWeights {
  const modules: AdapterWeights['modules'] = new Map();
  for (const [k, m] of w.modules) {
    modules.set(k, {
      A: { shape: [...m.A.shape], data: m.A.data },
      B: { shape: [...m.B.shape], data: m.B.data },
      r: m.r,
      alpha: m.alpha,
      scaling: m.scaling,
    });
  }
  return { config: w.config, modules };
}

/** The IndexedDB store. Every write that runs out of space throws StorageFullError. */
export const idbAdapterStore: AdapterStore = {
  async list(base) {
    const all = await (await db()).getAllFromIndex('adapters', 'byBase', base);
    return all.sort((a, b) => a.savedAt - b.savedAt);
  },
  async put(base, name, weights) {
    const d = await db();
    const value: StoredAdapter = {
      base,
      name,
      savedAt: Date.now(),
      bytes: adapterBytes(weights),
      weights: plainWeights(weights),
    };
    try {
      await d.put('adapters', value);
    } catch (e) {
      if (!isQuotaError(e)) throw e;
      const kept = await d.countFromIndex('adapters', 'byBase', base);
      throw new StorageFullError(storageFullMessage(kept, name));
    }
  },
  async remove(base, name) {
    await (await db()).delete('adapters', [base, name]);
  },
  async rename(base, from, to) {
    const d = await db();
    const tx = d.transaction('adapters', 'readwrite');
    const old = await tx.store.get([base, from]);
    if (old) {
      await tx.store.delete([base, from]);
      await tx.store.put({ ...old, name: to, savedAt: Date.now() });
    }
    await tx.done;
  },
};

export interface StorageUse {
  usage: number;
  quota: number;
  /** True when the browser promised not to evict this site's data. */
  persisted: boolean | null;
}

/** How much this site stores and may store (navigator.storage.estimate), or null where unknown. */
export async function storageUse(): Promise<StorageUse | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  const persisted = navigator.storage.persisted ? await navigator.storage.persisted() : null;
  return { usage, quota, persisted };
}
