/**
 * The adapter workspace as the Worker exposes it (`api.workspace.merge(name)` through comlink's
 * nested proxy): every AdapterWorkspace operation, forwarded by name to the loaded session's
 * workspace, so a new operation needs no Worker code. After one that changed the adapters (the
 * list, the active one or the merged ones), the host copies that survive a lost device are
 * brought up to date before the call resolves, reading back every adapter it created.
 */
import { proxy, type ProxyMarked } from 'comlink';
import { AdapterWorkspace } from '../engine/session/adapterWorkspace';
import type { AdapterInfo } from '../engine/session/types';

/**
 * AdapterWorkspace's operations, each answering with a promise. Proxy-marked, so that comlink's
 * types (and a page that reads the property itself) treat it as a remote object, not a value.
 */
export type WorkspaceApi = ProxyMarked & {
  [K in keyof AdapterWorkspace]: AdapterWorkspace[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/** The operations: every method of AdapterWorkspace (it keeps its helpers outside the class). */
export const WORKSPACE_OPERATIONS = Object.getOwnPropertyNames(AdapterWorkspace.prototype).filter(
  (k) => k !== 'constructor',
) as (keyof AdapterWorkspace)[];

/**
 * @param current the loaded session's workspace, or null when none is loaded (the list is then
 *   empty and every other operation throws what `missing` throws)
 * @param afterChange brings the host copies up to date; `fresh`: adapters the operation created
 */
export function forwardWorkspace(
  current: () => AdapterWorkspace | null,
  missing: () => never,
  afterChange: (fresh: string[]) => Promise<void>,
): WorkspaceApi {
  const forward = async (op: keyof AdapterWorkspace, args: unknown[]): Promise<unknown> => {
    const ws = current();
    if (!ws) return op === 'adapters' ? [] : missing();
    const before = ws.adapters();
    const out = await (ws[op] as (...a: unknown[]) => unknown).apply(ws, args);
    const after = ws.adapters();
    if (!sameList(before, after)) await afterChange(after.filter((a) => !hasName(before, a.name)).map((a) => a.name));
    return out;
  };
  const ops = Object.fromEntries(WORKSPACE_OPERATIONS.map((op) => [op, (...args: unknown[]) => forward(op, args)]));
  return proxy(ops) as unknown as WorkspaceApi;
}

const hasName = (list: AdapterInfo[], name: string) => list.some((a) => a.name === name);

function sameList(a: AdapterInfo[], b: AdapterInfo[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
