/**
 * The Hub panel's state, kept at module level so a download goes on while the person moves to
 * another page (and the panel, mounted on the Train and Adapters pages, shows the same job in
 * both). Nothing here touches the network until lookUp() or download() is called from a click.
 */
import { planHubModel, type HubPlan } from '../../../engine/hub/client';
import { listDeviceModels } from '../../../engine/hub/deviceList';
import { downloadModel } from '../../../engine/hub/download';
import { loadStoredModel, type HubModelFiles } from '../../../engine/hub/files';
import { HubError, type HubErrorKind } from '../../../engine/hub/hubErrors';
import type { DeviceModel } from '../../../engine/hub/manifest';
import type { DownloadProgress } from '../../../engine/hub/progress';
import type { ModelStore } from '../../../engine/hub/store';
import { errorMessage } from '../../../engine/types';
import { createStore } from '../../store';
import { openModelStore, persistStorage, storageEstimate, type StorageEstimateInfo } from '../../storage/modelStore';

export interface HubJob {
  repo: string;
  revision: string;
  phase: 'looking' | 'planned' | 'downloading' | 'done' | 'failed';
  plan: HubPlan | null;
  progress: DownloadProgress | null;
  error: { message: string; kind: HubErrorKind | 'other'; resumable: boolean } | null;
}

export interface HubState {
  /** null until opened; then 'none' where the browser can keep nothing. */
  storeKind: ModelStore['kind'] | 'none' | null;
  device: DeviceModel[];
  estimate: StorageEstimateInfo | null;
  /** Whether the browser promised to keep this site's data. */
  persisted: boolean | null;
  /** The answer to the person's "keep my models" request, once asked. */
  persistAnswer: boolean | null;
  job: HubJob | null;
  /** The last model made ready, with a sequence number so each panel hands it on once. */
  ready: { seq: number; files: HubModelFiles } | null;
  /** A problem reading storage or loading a stored model. */
  storageError: string | null;
}

export const hubState = createStore<HubState>({
  storeKind: null,
  device: [],
  estimate: null,
  persisted: null,
  persistAnswer: null,
  job: null,
  ready: null,
  storageError: null,
});

let store: ModelStore | null = null;
let controller: AbortController | null = null;
let seq = 0;

function setJob(patch: Partial<HubJob>): void {
  const job = hubState.get().job;
  if (job) hubState.set({ job: { ...job, ...patch } });
}

function failure(e: unknown): HubJob['error'] {
  if (e instanceof HubError) return { message: e.message, kind: e.kind, resumable: e.resumable };
  return { message: errorMessage(e), kind: 'other', resumable: false };
}

/** Opens browser storage and reads the device list and quota (local only: no request leaves). */
export async function refreshDevice(): Promise<void> {
  try {
    store ??= await openModelStore();
    const [device, estimate] = await Promise.all([store ? listDeviceModels(store) : [], storageEstimate()]);
    hubState.set({ storeKind: store?.kind ?? 'none', device, estimate, persisted: estimate?.persisted ?? null });
  } catch (e) {
    hubState.set({
      storeKind: store?.kind ?? 'none',
      storageError: `Browser storage could not be read: ${errorMessage(e)}`,
    });
  }
}

const busy = () => {
  const p = hubState.get().job?.phase;
  return p === 'looking' || p === 'downloading';
};

/** Asks the Hub what repo@revision holds (model info, listing, config.json, the index): a few small requests. */
export async function lookUp(repo: string, revision: string): Promise<HubPlan | null> {
  if (busy()) return null;
  controller = new AbortController();
  hubState.set({
    job: {
      repo: repo.trim(),
      revision: revision.trim() || 'main',
      phase: 'looking',
      plan: null,
      progress: null,
      error: null,
    },
  });
  try {
    const plan = await planHubModel({ repo, revision, signal: controller.signal });
    hubState.set({
      job: { repo: plan.repo, revision: plan.revision, phase: 'planned', plan, progress: null, error: null },
    });
    return plan;
  } catch (e) {
    setJob({ phase: 'failed', error: failure(e) });
    return null;
  }
}

/** Downloads repo@revision into browser storage (resuming what is there) and makes it ready. */
export async function download(repo: string, revision: string): Promise<void> {
  if (busy()) return;
  const job = hubState.get().job;
  let plan = job?.plan && job.repo === repo && job.revision === (revision || 'main') ? job.plan : null;
  plan ??= await lookUp(repo, revision);
  if (!plan) return;
  controller = new AbortController();
  setJob({ phase: 'downloading', error: null, progress: null }); // before any await: one download at a time
  try {
    await refreshDevice();
    if (!store) throw new HubError('storage', 'This browser offers no storage for models here.');
    const files = await downloadModel({
      plan,
      store,
      signal: controller.signal,
      onProgress: (progress) => setJob({ progress }),
      estimate: storageEstimate,
    });
    setJob({ phase: 'done' });
    hubState.set({ ready: { seq: ++seq, files } });
  } catch (e) {
    setJob({ phase: 'failed', error: failure(e) });
  } finally {
    controller = null;
    await refreshDevice();
  }
}

export function cancel(): void {
  controller?.abort();
}

/** Hands on a model kept on this device, with no network. */
export async function pickStored(repo: string, revision: string): Promise<void> {
  if (!store) return;
  try {
    const files = await loadStoredModel(store, repo, revision);
    if (files) hubState.set({ ready: { seq: ++seq, files }, storageError: null });
  } catch (e) {
    hubState.set({ storageError: errorMessage(e) });
  }
}

export async function removeStored(repo: string, revision: string): Promise<void> {
  const job = hubState.get().job;
  if (!store || (busy() && job?.repo === repo && job.revision === revision)) return;
  await store.remove(repo, revision);
  if (job?.repo === repo && job.revision === revision && job.phase !== 'looking') hubState.set({ job: null });
  await refreshDevice();
}

export async function askPersist(): Promise<void> {
  const granted = await persistStorage();
  hubState.set({ persisted: granted, persistAnswer: granted });
}

/** The id of the last ready model, for panels mounted later (they hand on only newer ones). */
export const readySeq = (): number => hubState.get().ready?.seq ?? 0;
