/**
 * What the training Worker and the page exchange about a run: the plan, the events it streams
 * and the result. Plain data only (posted across the Worker boundary).
 */
import type { BackendInfo, BackendName } from '../engine/backend';
import type { DeltaWView } from '../engine/session/deltaW';
import type { RunInfo, Sample } from '../engine/session/types';
import type { StepStats } from '../engine/train/types';

/** One lost backend and where the work went. */
export interface DeviceLoss {
  /** Steps done in the run when it happened (0 when idle). */
  step: number;
  reason: string;
  from: BackendName;
  to: BackendName;
}

/** What to do besides stepping: evaluation, samples and ΔW snapshots every so many steps. */
export interface TrainPlan {
  /** Evaluate validation loss every this many steps (and at the start and end). */
  evalEvery: number;
  /** Refresh samples every this many steps (0: only before and after). */
  sampleEvery: number;
  prompts: string[];
  sampleTokens: number;
  /** Module whose ΔW is sent with each evaluation (LoRA runs), or null. */
  deltaWModule: string | null;
  /**
   * Copy the trained weights to host memory every this many steps (and at each evaluation): a
   * lost device costs at most this many steps. Default: evalEvery.
   */
  snapshotEvery?: number;
}

/**
 * The device was lost (or a step failed on its backend) and the Worker moved to `to`. `step`:
 * steps done when it happened. The run pauses until `recovered`.
 */
export type DeviceLostEvent = { type: 'deviceLost'; step: number; reason: string; from: BackendName; to: BackendName };
/**
 * The run (or the idle Worker) is back, on `backend`. `step`: the snapshot it resumed from; step
 * events after this one count on from it, so steps after `step` arrive again (drop the old ones).
 * `restoredMaxAbsDiff`: largest difference between the restored adapter read back from the new
 * backend and its host snapshot (0 = exact; null for full runs and idle recoveries).
 */
export type RecoveredEvent = {
  type: 'recovered';
  step: number;
  backend: BackendInfo;
  message: string;
  restoredMaxAbsDiff: number | null;
};
export type DeviceEvent = DeviceLostEvent | RecoveredEvent;

export type TrainEvent =
  | { type: 'started'; run: RunInfo }
  | { type: 'step'; stats: StepStats; totalSteps: number }
  | { type: 'eval'; step: number; validationLoss: number; baseValidationLoss: number | null }
  | { type: 'samples'; step: number; base: Sample[]; tuned: Sample[] }
  | { type: 'deltaW'; step: number; view: DeltaWView }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | DeviceLostEvent
  | RecoveredEvent;

export interface RunResult {
  run: RunInfo;
  steps: number;
  /** "completed", "stopped" (by the user) or the divergence message. */
  outcome: 'completed' | 'stopped' | 'diverged';
  message: string | null;
  finalValidationLoss: number;
  baseValidationLoss: number;
  /** Median ms per step after the first (warm-up) step, and the first step separately (engine/train/throughput). */
  medianMsPerStep: number;
  firstStepMs: number;
  /** batch × sequence length / medianMsPerStep, per second. */
  tokensPerSec: number;
  wallMs: number;
  /** The backend the run ended on (another one than it began on after a device loss). */
  backend: BackendInfo;
  /** Every device loss during the run, in order. */
  deviceLosses: DeviceLoss[];
}
