/**
 * The Adapters page's link to the Worker and to storage: loads the shipped base if nothing is
 * loaded, restores stored adapters once per loaded base, saves new ones, and runs one operation
 * at a time (buttons show what is running). Panels get a `run` that reports errors to them.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AdapterInfo } from '../../../engine/session/types';
import { ensureModel, lmState, lmWorker, setLmState, useLm, type LmRemote, type LmState } from '../../lm/lmClient';
import { idbAdapterStore, storageUse, type StorageUse } from '../../storage/adapterStore';
import { exclusive, saveMissing, syncAdapters } from '../../storage/adapterSync';
import { errorMessage } from '../../../engine/types';

export interface StorageStatus {
  use: StorageUse | null;
  /** Stored adapters of this base. */
  kept: number;
  /** "Browser storage is full: …", or null. */
  full: string | null;
  /** Adapters that could not be restored or saved, one sentence each. */
  problems: string[];
  restored: string[];
  ready: boolean;
}

export interface Workspace {
  lm: LmState;
  /** What is running now ("Merging names…"), or null. */
  busy: string | null;
  storage: StorageStatus;
  /**
   * Runs one Worker operation with the page marked busy. The adapter list is refreshed and new
   * adapters are saved afterwards, whether it worked or not. Errors are rethrown for the panel.
   */
  run<T>(label: string, fn: (api: LmRemote) => Promise<T>): Promise<T>;
  /** Storage after a rename or delete done by the list. */
  storageRename(from: string, to: string): Promise<void>;
  storageRemove(name: string): Promise<void>;
}

export function activeAdapter(adapters: AdapterInfo[]): AdapterInfo | null {
  return adapters.find((a) => a.active) ?? null;
}

export function useWorkspace(): Workspace {
  const lm = useLm();
  const [busy, setBusy] = useState<string | null>(null);
  const [storage, setStorage] = useState<StorageStatus>({
    use: null,
    kept: 0,
    full: null,
    problems: [],
    restored: [],
    ready: false,
  });
  const model = lm.model;

  useEffect(() => {
    void ensureModel();
  }, []);

  const refreshStorage = useCallback(
    async (patch: Partial<StorageStatus>) => {
      const base = model?.name;
      const [use, kept] = await Promise.all([
        storageUse().catch(() => null),
        base
          ? idbAdapterStore
              .list(base)
              .then((l) => l.length)
              .catch(() => 0)
          : 0,
      ]);
      setStorage((s) => ({ ...s, ...patch, use, kept, ready: true }));
    },
    [model],
  );

  // Once the base is loaded (and no run owns the Worker): restore stored adapters, save new ones.
  useEffect(() => {
    if (!model || lm.training) return;
    let cancelled = false;
    void (async () => {
      try {
        const api = await lmWorker();
        const report = await syncAdapters(api.workspace, idbAdapterStore, model);
        if (cancelled) return;
        setLmState({ adapters: await api.workspace.adapters() });
        // The restore may already have happened when the model loaded (from any page).
        const restored = report.restored.length ? report.restored : lmState().restored;
        await refreshStorage({ full: report.storageFull, problems: report.problems, restored });
      } catch (e) {
        if (!cancelled) await refreshStorage({ problems: [`Browser storage is not available: ${errorMessage(e)}`] });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [model, lm.training, refreshStorage]);

  const run = useCallback(
    async <T>(label: string, fn: (api: LmRemote) => Promise<T>): Promise<T> => {
      setBusy(label);
      const api = await lmWorker();
      try {
        return await fn(api);
      } finally {
        try {
          setLmState({ adapters: await api.workspace.adapters() });
          if (model) {
            const s = await exclusive(() => saveMissing(api.workspace, idbAdapterStore, model.name));
            await refreshStorage({ full: s.storageFull, problems: s.problems });
          }
        } catch (e) {
          await refreshStorage({ problems: [`Browser storage is not available: ${errorMessage(e)}`] });
        } finally {
          setBusy(null);
        }
      }
    },
    [model, refreshStorage],
  );

  const storageRename = useCallback(
    async (from: string, to: string) => {
      if (model) await exclusive(() => idbAdapterStore.rename(model.name, from, to));
    },
    [model],
  );
  const storageRemove = useCallback(
    async (name: string) => {
      if (model) await exclusive(() => idbAdapterStore.remove(model.name, name));
      await refreshStorage({ full: null });
    },
    [model, refreshStorage],
  );

  return { lm, busy, storage, run, storageRename, storageRemove };
}
