/**
 * Where one Worker run stands, kept across device losses (the session under it may be replaced
 * on another backend): what it started as, its last snapshot, its losses and timings.
 */
import type { BackendInfo } from '../engine/backend';
import type { RunInfo, RunSnapshot } from '../engine/session/types';
import { throughput } from '../engine/train/throughput';
import type { StepStats } from '../engine/train/types';
import type { DeviceLoss, RunResult } from './events';

export class RunState {
  /** What beginRun said the first time (a resumed run keeps it). */
  info: RunInfo | null = null;
  /** The last snapshot of finite trained weights: where a run resumes after a device loss. */
  snapshot: RunSnapshot | null = null;
  baseValidationLoss: number | null = null;
  validationLoss = NaN;
  outcome: RunResult['outcome'] = 'completed';
  message: string | null = null;
  /** Step and training loss of the last step done (the loss only once it was finite). */
  lastStep = 0;
  lastLoss = NaN;
  readonly deviceLosses: DeviceLoss[] = [];
  private readonly times: number[] = [];
  private readonly t0 = performance.now();

  /** Count one step's time and tokens. */
  stepped(stats: StepStats): void {
    this.lastStep = stats.step;
    this.times.push(stats.msPerStep);
  }

  /** The run's result once it ended after `steps` steps on `backend`. */
  result(steps: number, backend: BackendInfo): RunResult {
    const speed = throughput(this.times, this.info!.tokensPerStep);
    return {
      run: this.info!,
      steps,
      outcome: this.outcome,
      message: this.message,
      finalValidationLoss: this.validationLoss,
      baseValidationLoss: this.baseValidationLoss!,
      medianMsPerStep: speed.medianMsPerStep ?? 0,
      firstStepMs: speed.firstStepMs ?? 0,
      tokensPerSec: speed.tokensPerSec ?? 0,
      wallMs: performance.now() - this.t0,
      backend,
      deviceLosses: this.deviceLosses,
    };
  }
}
