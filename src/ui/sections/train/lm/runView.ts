/**
 * What the Train page shows of its runs, as plain data: the live view of the current run and
 * the records of the last finished run of each mode (runStore.ts keeps them up to date).
 */
import type { TextDataset } from '../../../../engine/data/tasks';
import type { DeltaWView } from '../../../../engine/session/deltaW';
import type { RunInfo, RunSettings, Sample } from '../../../../engine/session/types';
import type { TrainMode } from '../../../../engine/train/gpt2Trainer';
import type { RunResult } from '../../../../worker/lmWorkerApi';

export type RunStatus = 'idle' | 'starting' | 'running' | 'pausing' | 'paused' | 'stopping' | 'done' | 'error';

export interface Point {
  step: number;
  value: number;
}

export interface SampleSet {
  step: number;
  base: Sample[];
  /** With the adapter (or the fully fine-tuned copy); null when there is nothing but the base. */
  tuned: Sample[] | null;
  /** Column heading for `tuned`, e.g. "with LoRA adapter 'names-r8'". */
  tunedLabel: string | null;
}

/** How a run's tuned model is named in the UI. */
export function tunedLabelOf(run: Pick<RunInfo, 'mode' | 'adapterName'> | null): string {
  if (run?.mode === 'full') return 'fully fine-tuned copy';
  return `with LoRA adapter '${run?.adapterName ?? '?'}'`;
}

/** The numbers the comparison panel needs from one finished run. */
export interface RunRecord {
  mode: TrainMode;
  /** What the run was started with (the comparison re-runs these in the other mode). */
  settings: RunSettings;
  dataset: TextDataset;
  adapterName: string | null;
  modelName: string;
  taskLabel: string;
  run: RunInfo;
  steps: number;
  outcome: RunResult['outcome'];
  finalValidationLoss: number;
  baseValidationLoss: number;
  medianMsPerStep: number;
  firstStepMs: number;
  tokensPerSec: number;
  wallMs: number;
  /** Its curves and last samples, so two runs can be shown side by side. */
  trainLoss: Point[];
  validationLoss: Point[];
  samples: SampleSet | null;
}

export interface RunView {
  status: RunStatus;
  mode: TrainMode | null;
  run: RunInfo | null;
  modelName: string | null;
  taskLabel: string | null;
  totalSteps: number;
  step: number;
  trainLoss: Point[];
  validationLoss: Point[];
  baseValidationLoss: number | null;
  firstStepMs: number | null;
  /** Median step time after the first (warm-up) step, and tokens/s from it (engine/train/throughput). */
  warmMsPerStep: number | null;
  tokensPerSec: number | null;
  numTensors: number | null;
  numBytes: number | null;
  /** performance.now() when the first step finished, and of the latest step (for the ETA). */
  firstStepAt: number | null;
  lastStepAt: number | null;
  samplesBefore: SampleSet | null;
  samples: SampleSet | null;
  deltaW: DeltaWView | null;
  /** A divergence or error message for the learner. */
  message: string | null;
  result: RunResult | null;
  /** The last finished run of each mode, for the LoRA-vs-full panel. */
  records: Partial<Record<TrainMode, RunRecord>>;
  /** W_full − W₀ of one module for the last full run (the Worker keeps its weights), once asked for. */
  fullDeltaW: DeltaWView | null;
}

export const EMPTY: RunView = {
  status: 'idle',
  mode: null,
  run: null,
  modelName: null,
  taskLabel: null,
  totalSteps: 0,
  step: 0,
  trainLoss: [],
  validationLoss: [],
  baseValidationLoss: null,
  firstStepMs: null,
  warmMsPerStep: null,
  tokensPerSec: null,
  numTensors: null,
  numBytes: null,
  firstStepAt: null,
  lastStepAt: null,
  samplesBefore: null,
  samples: null,
  deltaW: null,
  message: null,
  result: null,
  records: {},
  fullDeltaW: null,
};
