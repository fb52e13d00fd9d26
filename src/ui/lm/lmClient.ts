/**
 * The page's handle on the training Worker: one Worker per page (created on first use), shared by
 * the Train and Adapters sections, so one base model is loaded once and adapters are swapped over
 * it. Holds the little state React needs (what is loaded, which adapters exist) in a store.
 */
import * as Comlink from 'comlink';
import type { BackendInfo } from '../../engine/backend';
import type { AdapterInfo, BaseFiles, ModelSummary } from '../../engine/session/types';
import type { LmWorkerApi } from '../../worker/lmWorkerApi';
import { syncAdapters } from '../storage/adapterSync';
import { idbAdapterStore } from '../storage/adapterStore';
import { createStore } from '../store';
import { requestedBackend } from '../useBackend';
import { errorMessage } from '../../engine/types';

export type LmRemote = Comlink.Remote<LmWorkerApi>;

export interface LmState {
  backend: BackendInfo | null;
  /** What is loaded now (null until the first load finishes). */
  model: ModelSummary | null;
  loading: string | null;
  error: string | null;
  adapters: AdapterInfo[];
  /** True while a training run owns the Worker. */
  training: boolean;
  /** Adapters restored from browser storage when the current model loaded. */
  restored: string[];
}

const store = createStore<LmState>({
  backend: null,
  model: null,
  loading: null,
  error: null,
  adapters: [],
  training: false,
  restored: [],
});
let remote: LmRemote | null = null;
/** tokenizer.json of the loaded model, for main-thread checks of the learner's text (prepareUserText). */
let loadedTokenizerJson: string | null = null;
let booting: Promise<LmRemote> | null = null;

export const setLmState = store.set;
export const useLm = store.use;
export const lmState = store.get;

/** The Worker, started and given a backend on first call. */
export function lmWorker(): Promise<LmRemote> {
  if (remote) return Promise.resolve(remote);
  booting ??= (async () => {
    const worker = new Worker(new URL('../../worker/lm.worker.ts', import.meta.url), {
      type: 'module',
      name: 'lowrank-trainer',
    });
    const api = Comlink.wrap<LmWorkerApi>(worker);
    const { WASM_PATHS } = await import('../wasmPaths');
    const backend = await api.init({ force: requestedBackend(), wasmPaths: WASM_PATHS });
    setLmState({ backend });
    // After a lost WebGPU device the Worker moves to another backend: keep the badge truthful.
    await api.onDeviceEvent(
      Comlink.proxy(async () => {
        setLmState({ backend: await api.backendInfo() });
      }),
    );
    remote = api;
    return api;
  })();
  return booting;
}

/** Load a checkpoint into the Worker; on failure the previous model stays loaded and usable. */
export async function loadModel(files: BaseFiles): Promise<boolean> {
  setLmState({ loading: files.name, error: null });
  try {
    const api = await lmWorker();
    const model = await api.load(files);
    loadedTokenizerJson = files.tokenizer;
    setLmState({ model, loading: null, adapters: await api.workspace.adapters(), restored: [] });
    await keepAdapters(api, model);
    return true;
  } catch (e) {
    setLmState({ loading: null, error: `Could not load ${files.name}: ${errorMessage(e)}` });
    return false;
  }
}

/** The loaded model's tokenizer.json text (null until a model loaded). */
export function currentTokenizerJson(): string | null {
  return loadedTokenizerJson;
}

/** The shipped tiny GPT-2 (public/models/tiny), fetched from the app's own origin. */
export const SHIPPED_MODEL = { id: 'tiny', name: 'lowrank-tiny', path: './models/tiny/' } as const;

/** @param appRoot the app's root URL (default: this page's; the bench page lives two folders down). */
export async function fetchShippedModelFiles(appRoot = window.location.href): Promise<BaseFiles> {
  const url = (f: string) => new URL(`${SHIPPED_MODEL.path}${f}`, appRoot).href;
  const get = async (f: string) => {
    const res = await fetch(url(f));
    if (!res.ok) throw new Error(`${f}: HTTP ${res.status}`);
    return res;
  };
  const [config, weights, tokenizer] = await Promise.all([
    get('config.json').then((r) => r.text()),
    get('model.safetensors').then((r) => r.arrayBuffer()),
    get('tokenizer.json').then((r) => r.text()),
  ]);
  return { name: SHIPPED_MODEL.name, config, weights: new Uint8Array(weights), tokenizer };
}

/** Load the shipped model unless a model is already loaded. */
export async function ensureModel(): Promise<void> {
  const { model, loading } = store.get();
  if (model || loading) return;
  try {
    await loadModel(await fetchShippedModelFiles());
  } catch (e) {
    setLmState({ loading: null, error: `Could not fetch the shipped model: ${errorMessage(e)}` });
  }
}

/**
 * Restore this base's adapters from IndexedDB (once per load) and save new ones, so an adapter
 * trained on #/train survives a reload even if the Adapters page was never opened.
 */
async function keepAdapters(api: LmRemote, model: ModelSummary): Promise<void> {
  try {
    const report = await syncAdapters(api.workspace, idbAdapterStore, model);
    if (report.restored.length) setLmState({ restored: report.restored });
    setLmState({
      adapters: await api.workspace.adapters(),
      ...(report.storageFull ? { error: report.storageFull } : {}),
    });
  } catch {
    // storage unavailable (private mode, disabled): adapters still live for this page's lifetime
  }
}

/** Refresh the adapter list from the Worker (after any change) and keep new adapters stored. */
export async function refreshAdapters(): Promise<void> {
  const api = await lmWorker();
  setLmState({ adapters: await api.workspace.adapters() });
  const { model } = store.get();
  if (model) await keepAdapters(api, model);
}

export { Comlink };
