/**
 * The Train page's run state, outside React: the Worker's events are folded into a draft and
 * published at most once per animation frame, so a fast backend cannot flood React with renders.
 * Lives at module level, so a run keeps going (and its results stay) when the learner switches
 * sections and comes back.
 */
import { useSyncExternalStore } from 'react';
import type { TextDataset } from '../../../../engine/data/tasks';
import type { RunSettings } from '../../../../engine/session/types';
import type { TrainEvent, TrainPlan } from '../../../../worker/lmWorkerApi';
import { EMPTY, tunedLabelOf, type RunRecord, type RunView } from './runView';
import { Comlink, lmWorker, refreshAdapters, setLmState } from '../../../lm/lmClient';
import { errorMessage } from '../../../../engine/types';
import { markMilestone } from '../../../storage/milestones';
import { throughput } from '../../../../engine/train/throughput';

export { tunedLabelOf } from './runView';
export type { Point, RunRecord, RunStatus, RunView, SampleSet } from './runView';

let published: RunView = EMPTY;
let draft: RunView = EMPTY;
/** Every step's time in this run, for the one throughput definition. */
let stepMs: number[] = [];
let scheduled = false;
const listeners = new Set<() => void>();

function publishNow() {
  scheduled = false;
  published = { ...draft, trainLoss: draft.trainLoss.slice(), validationLoss: draft.validationLoss.slice() };
  for (const l of listeners) l();
}

/** Publish on the next frame (or within 250 ms when frames are throttled, e.g. a hidden tab). */
function schedule() {
  if (scheduled) return;
  scheduled = true;
  let done = false;
  const go = () => {
    if (done) return;
    done = true;
    publishNow();
  };
  requestAnimationFrame(go);
  setTimeout(go, 250);
}

function patch(p: Partial<RunView>, now = false) {
  draft = { ...draft, ...p };
  if (now) publishNow();
  else schedule();
}

export function useRun(): RunView {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => published,
    () => published,
  );
}

function onEvent(e: TrainEvent) {
  switch (e.type) {
    case 'started':
      patch({ run: e.run, status: 'running' });
      break;
    case 'step': {
      const { stats } = e;
      const now = performance.now();
      if (stats.step === 1) patch({ firstStepAt: now });
      stepMs.push(stats.msPerStep);
      const speed = throughput(stepMs, draft.run?.tokensPerStep ?? 0);
      draft.trainLoss.push({ step: stats.step, value: stats.loss });
      patch({
        step: stats.step,
        totalSteps: e.totalSteps,
        firstStepMs: speed.firstStepMs,
        warmMsPerStep: speed.medianMsPerStep,
        tokensPerSec: speed.tokensPerSec,
        numTensors: stats.numTensors,
        numBytes: stats.numBytes,
        lastStepAt: now,
        message: stats.stopped ?? draft.message,
      });
      break;
    }
    case 'eval':
      draft.validationLoss.push({ step: e.step, value: e.validationLoss });
      patch(e.baseValidationLoss !== null ? { baseValidationLoss: e.baseValidationLoss } : {});
      break;
    case 'samples': {
      const set = { step: e.step, base: e.base, tuned: e.tuned, tunedLabel: tunedLabelOf(draft.run) };
      patch(e.step === 0 ? { samplesBefore: set, samples: set } : { samples: set });
      break;
    }
    case 'deltaW':
      patch({ deltaW: e.view });
      break;
    case 'paused':
      patch({ status: 'paused' }, true);
      break;
    case 'resumed':
      patch({ status: 'running' }, true);
      break;
    case 'deviceLost':
      patch(
        {
          status: 'paused',
          message: `The ${e.from} device was lost at step ${e.step} (${e.reason}). Moving to ${e.to}…`,
        },
        true,
      );
      break;
    case 'recovered':
      // Steps after the snapshot are trained again on the new backend: drop their old points.
      draft.trainLoss = draft.trainLoss.filter((p) => p.step <= e.step);
      draft.validationLoss = draft.validationLoss.filter((p) => p.step <= e.step);
      setLmState({ backend: e.backend });
      patch(
        { status: 'running', step: e.step, message: `Recovered on ${e.backend.name} at step ${e.step}: ${e.message}` },
        true,
      );
      break;
  }
}

export interface StartOptions {
  settings: RunSettings;
  plan: TrainPlan;
  dataset: TextDataset;
  modelName: string;
}

/** Run one training run in the Worker. Resolves when it ends (completed, stopped, diverged or failed). */
export async function startRun({ settings, plan, dataset, modelName }: StartOptions): Promise<void> {
  if (
    draft.status === 'starting' ||
    draft.status === 'running' ||
    draft.status === 'paused' ||
    draft.status === 'pausing' ||
    draft.status === 'stopping'
  )
    return;
  stepMs = [];
  draft = {
    ...EMPTY,
    // Fresh arrays: events push into them, and EMPTY's must stay empty.
    trainLoss: [],
    validationLoss: [],
    records: draft.records,
    fullDeltaW: settings.mode === 'full' ? null : draft.fullDeltaW,
    status: 'starting',
    mode: settings.mode,
    modelName,
    taskLabel: dataset.label,
    totalSteps: settings.totalSteps,
    // A full run has no ΔW: keep showing what the last LoRA run learned.
    deltaW: settings.mode === 'full' ? draft.deltaW : null,
  };
  publishNow();
  setLmState({ training: true });
  try {
    const api = await lmWorker();
    await api.setDataset(dataset);
    const result = await api.train(settings, plan, Comlink.proxy(onEvent));
    const record: RunRecord = {
      mode: result.run.mode,
      settings,
      dataset,
      adapterName: result.run.adapterName,
      modelName,
      taskLabel: dataset.label,
      run: result.run,
      steps: result.steps,
      outcome: result.outcome,
      finalValidationLoss: result.finalValidationLoss,
      baseValidationLoss: result.baseValidationLoss,
      medianMsPerStep: result.medianMsPerStep,
      firstStepMs: result.firstStepMs,
      tokensPerSec: result.tokensPerSec,
      wallMs: result.wallMs,
      trainLoss: draft.trainLoss.slice(),
      validationLoss: draft.validationLoss.slice(),
      samples: draft.samples,
    };
    draft = { ...draft, records: { ...draft.records, [record.mode]: record } };
    if (record.mode === 'lora' && record.outcome !== 'diverged' && record.steps > 0)
      markMilestone('trained', `${record.steps} LoRA steps on ${record.taskLabel}`);
    patch(
      {
        status: 'done',
        result,
        // The Worker's numbers for the whole run: the panel and the comparison table show the same.
        firstStepMs: result.firstStepMs,
        warmMsPerStep: result.medianMsPerStep,
        tokensPerSec: result.tokensPerSec,
        message: result.outcome === 'diverged' ? result.message : draft.message,
      },
      true,
    );
  } catch (e) {
    patch({ status: 'error', message: errorMessage(e) }, true);
  } finally {
    setLmState({ training: false });
    await refreshAdapters().catch(() => undefined);
  }
}

export async function pauseRun(): Promise<void> {
  if (draft.status !== 'running') return;
  patch({ status: 'pausing' }, true);
  await (await lmWorker()).pause();
}

export async function resumeRun(): Promise<void> {
  if (draft.status !== 'paused' && draft.status !== 'pausing') return;
  await (await lmWorker()).resume();
  patch({ status: 'running' }, true);
}

export async function stopRun(): Promise<void> {
  if (!['running', 'paused', 'pausing'].includes(draft.status)) return;
  patch({ status: 'stopping' }, true);
  await (await lmWorker()).stop();
}

/** ΔW of another module of a finished run's adapter (only between runs). */
export async function loadDeltaW(module: string, adapterName: string): Promise<void> {
  try {
    const view = await (await lmWorker()).workspace.deltaW(module, adapterName);
    patch({ deltaW: view }, true);
  } catch (e) {
    patch({ message: errorMessage(e) }, true);
  }
}

/** ΔW = W_full − W₀ of `module` for the last full run, for the side-by-side with LoRA's. */
export async function loadFullDeltaW(module: string): Promise<void> {
  try {
    patch({ fullDeltaW: await (await lmWorker()).fullRunDeltaW(module) }, true);
  } catch (e) {
    patch({ message: errorMessage(e) }, true);
  }
}

/**
 * Samples now, between runs: the base model, and with the active adapter when there is one (the Worker
 * applies the active one).
 */
export async function sampleNow(prompts: string[], activeAdapter: string | null, maxNewTokens: number): Promise<void> {
  const api = await lmWorker();
  // The same temperature and seed as the Worker's samples during a run, so columns compare.
  const opts = { maxNewTokens, temperature: 0.8, seed: 7 };
  try {
    const base = await api.samples(prompts, { ...opts, useAdapter: false });
    const tuned = activeAdapter ? await api.samples(prompts, { ...opts, useAdapter: true }) : null;
    const tunedLabel = activeAdapter ? tunedLabelOf({ mode: 'lora', adapterName: activeAdapter }) : null;
    patch({ samples: { step: draft.step, base, tuned, tunedLabel }, message: null }, true);
  } catch (e) {
    patch({ message: errorMessage(e) }, true);
  }
}
