/**
 * Where one Worker run stands, kept across device losses (the session under it may be replaced
 * on another backend): what it started as, its last snapshot, its losses and timings.
 */
import type { BackendInfo } from '../engine/backend';
import type { RunInfo, RunSnapshot } from '../engine/session/types';
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
  private tokens = 0;
  private readonly t0 = performance.now();

  /** Count one step's time and tokens. */
  stepped(stats: StepStats): void {
    this.lastStep = stats.step;
    this.times.push(stats.msPerStep);
    this.tokens += this.info!.tokensPerStep;
  }

  /** The run's result once it ended after `steps` steps on `backend`. */
  result(steps: number, backend: BackendInfo): RunResult {
    const { times } = this;
    const after = times.slice(1).sort((a, b) => a - b);
    const median = after.length ? after[Math.floor(after.length / 2)] : (times[0] ?? 0);
    const trainMs = times.reduce((a, b) => a + b, 0);
    return {
      run: this.info!,
      steps,
      outcome: this.outcome,
      message: this.message,
      finalValidationLoss: this.validationLoss,
      baseValidationLoss: this.baseValidationLoss!,
      medianMsPerStep: median,
      firstStepMs: times[0] ?? 0,
      tokensPerSec: trainMs > 0 ? (this.tokens / trainMs) * 1000 : 0,
      wallMs: performance.now() - this.t0,
      backend,
      deviceLosses: this.deviceLosses,
    };
  }
}
