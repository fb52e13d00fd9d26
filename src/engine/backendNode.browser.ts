/**
 * What pages and Workers get instead of backendNode.ts (swapped in by the `nodeOnly` Vite
 * plugin): browsers have their own navigator.gpu, and Dawn's Node binding must not be bundled.
 */
import type { NodeGpuResult } from './backendNode';

export function installNodeWebGpu(): Promise<NodeGpuResult> {
  return Promise.resolve({ ok: false, reason: 'Dawn for Node is not part of the browser build', tried: [] });
}
