/**
 * Boots the page's tfjs backend once (lazily, so tfjs is not in the first paint's bundle) and
 * shares the result. `?backend=webgpu|webgl|wasm|cpu` in the page URL forces one.
 */
import { useSyncExternalStore } from 'react';
import type { BackendInfo, BackendName } from '../engine/backend';
import { errorMessage } from '../engine/types';

export type BackendState =
  { status: 'loading' } | { status: 'ready'; info: BackendInfo } | { status: 'error'; message: string };

let state: BackendState = { status: 'loading' };
let started = false;
const listeners = new Set<() => void>();

export function requestedBackend(): BackendName | undefined {
  const v = new URLSearchParams(window.location.search).get('backend');
  return v === 'webgpu' || v === 'webgl' || v === 'wasm' || v === 'cpu' ? v : undefined;
}

async function boot() {
  try {
    const [{ selectBackend }, { WASM_PATHS }] = await Promise.all([import('../engine/backend'), import('./wasmPaths')]);
    const info = await selectBackend({ force: requestedBackend(), wasmPaths: WASM_PATHS });
    state = { status: 'ready', info };
  } catch (e) {
    state = { status: 'error', message: errorMessage(e) };
  }
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  if (!started) {
    started = true;
    void boot();
  }
  return () => listeners.delete(l);
}

export function useBackend(): BackendState {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => state,
  );
}
