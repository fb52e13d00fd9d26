/**
 * The paper lab's state outside React: the sweep in progress (which run, its step, the whole
 * sweep's share done) and the finished runs the Worker's lab holds. Module level, so a sweep keeps
 * going and its results stay while the learner looks at another section.
 */
import type { TextDataset } from '../../../engine/data/tasks';
import type { PlannedRun } from '../../../engine/paper/sweeps';
import { errorMessage } from '../../../engine/types';
import type { LabRun, SweepEvent, SweepKind, TrainPlan } from '../../../worker/lmWorkerApi';
import { Comlink, lmWorker, refreshAdapters, setLmState } from '../../lm/lmClient';
import { createStore } from '../../store';
import { upsertRun, type LabProgress } from './labFormat';

export type { LabProgress } from './labFormat';

export interface LabState {
  status: 'idle' | 'running' | 'stopping';
  progress: LabProgress | null;
  /** The lab's finished runs (as the Worker holds them), in the order they finished. */
  runs: LabRun[];
  /** How the last sweep ended, for the learner ("Stopped: 2 of 5 runs finished."), or an error. */
  message: string | null;
  failed: boolean;
  /** Wall time per step of the sweep so far (ms), for the estimate of what is left. */
  msPerStep: number | null;
}

const store = createStore<LabState>({
  status: 'idle',
  progress: null,
  runs: [],
  message: null,
  failed: false,
  msPerStep: null,
});

export const useLab = store.use;
export const labState = store.get;

let startedAt = 0;
let stepsSeen = 0;

function onEvent(e: SweepEvent) {
  const p = store.get().progress;
  switch (e.type) {
    case 'runStarted':
      store.set({
        progress: {
          sweep: p!.sweep,
          index: e.index,
          total: e.total,
          label: e.label,
          step: 0,
          totalSteps: p!.totalSteps,
        },
      });
      break;
    case 'run':
      if (e.event.type === 'step' && p) {
        stepsSeen++;
        store.set({
          progress: { ...p, step: e.event.stats.step, totalSteps: e.event.totalSteps },
          msPerStep: (performance.now() - startedAt) / stepsSeen,
        });
      } else if (e.event.type === 'recovered') setLmState({ backend: e.event.backend });
      break;
    case 'runFinished':
      store.set({ runs: upsertRun(store.get().runs, e.run) });
      break;
    case 'runDropped':
      break;
  }
}

/**
 * Train a sweep in the Worker, one run after the other. Resolves when it ends (finished, stopped
 * or failed); the outcome is in the store's `message`.
 */
export async function startSweep(
  sweep: SweepKind,
  runs: PlannedRun[],
  plan: TrainPlan,
  dataset: TextDataset,
): Promise<void> {
  if (store.get().status !== 'idle' || runs.length === 0) return;
  startedAt = performance.now();
  stepsSeen = 0;
  const totalSteps = runs[0].settings.totalSteps;
  store.set({
    status: 'running',
    progress: { sweep, index: 0, total: runs.length, label: runs[0].label, step: 0, totalSteps },
    message: null,
    failed: false,
    msPerStep: null,
  });
  setLmState({ training: true });
  try {
    const api = await lmWorker();
    await api.setDataset(dataset);
    const result = await api.sweep(sweep, runs, plan, Comlink.proxy(onEvent));
    const n = result.finished.length;
    const secs = Math.round((performance.now() - startedAt) / 1000);
    store.set({
      message: result.stopped
        ? `Stopped: ${n} of ${runs.length} runs finished and are kept below; the run in progress was dropped.`
        : `Finished: ${n} runs of ${totalSteps} steps in ${secs} s.`,
    });
  } catch (e) {
    store.set({ message: errorMessage(e), failed: true });
  } finally {
    store.set({ status: 'idle', progress: null });
    setLmState({ training: false });
    await syncLabRuns();
    await refreshAdapters().catch(() => undefined);
  }
}

/** Stop the run in progress and start no further one (finished runs stay). */
export async function stopSweep(): Promise<void> {
  if (store.get().status !== 'running') return;
  store.set({ status: 'stopping' });
  await (await lmWorker()).stop();
}

/** Keep a lab run as an adapter in the workspace (and so in this browser's storage). */
export async function keepRun(name: string): Promise<string> {
  const api = await lmWorker();
  const got = await api.lab.keep(name);
  await syncLabRuns();
  await refreshAdapters().catch(() => undefined);
  return got;
}

/** Read the lab's runs from the Worker (they are gone after another base model loaded). */
export async function syncLabRuns(): Promise<void> {
  try {
    store.set({ runs: await (await lmWorker()).lab.list() });
  } catch {
    /* no Worker yet: nothing to show */
  }
}
