/**
 * The page's handle on the inspector Worker: one small Worker of its own (created on first use),
 * so inspecting a large adapter never waits for, or slows, the training Worker.
 */
import * as Comlink from 'comlink';
import type { InspectProgressEvent, InspectWorkerApi, PickedAdapterFile } from '../../../worker/inspectWorkerApi';

export type InspectRemote = Comlink.Remote<InspectWorkerApi>;

let remote: InspectRemote | null = null;

export function inspectWorker(): InspectRemote {
  remote ??= Comlink.wrap<InspectWorkerApi>(
    new Worker(new URL('../../../worker/inspect.worker.ts', import.meta.url), {
      type: 'module',
      name: 'lowrank-inspector',
    }),
  );
  return remote;
}

/** Inspects picked files; File handles cross to the Worker, their bytes are read there. */
export function inspectFiles(picked: PickedAdapterFile[], onProgress: (e: InspectProgressEvent) => void) {
  return inspectWorker().inspect(picked, Comlink.proxy(onProgress));
}
