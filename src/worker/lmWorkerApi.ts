/**
 * The training Worker's API (exposed with comlink): one LmSession, a training loop that can be
 * paused, resumed and stopped between steps, and progress events with plain numbers. Kept free
 * of Worker globals so Node tests drive it directly.
 */
import { selectBackend, type BackendInfo, type SelectOptions } from '../engine/backend';
import type { TextDataset } from '../engine/data/tasks';
import type { DeltaWView } from '../engine/session/deltaW';
import { LmSession, type BaseFiles, type ModelSummary, type RunInfo, type RunSettings, type Sample } from '../engine/session/lmSession';
import type { StepStats } from '../engine/train/types';
import { UserFacingError } from '../engine/types';

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
}

export type TrainEvent =
  | { type: 'started'; run: RunInfo }
  | { type: 'step'; stats: StepStats; totalSteps: number }
  | { type: 'eval'; step: number; validationLoss: number; baseValidationLoss: number | null }
  | { type: 'samples'; step: number; base: Sample[]; tuned: Sample[] }
  | { type: 'deltaW'; step: number; view: DeltaWView }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number };

export interface RunResult {
  run: RunInfo;
  steps: number;
  /** "completed", "stopped" (by the user) or the divergence message. */
  outcome: 'completed' | 'stopped' | 'diverged';
  message: string | null;
  finalValidationLoss: number;
  baseValidationLoss: number;
  /** Median ms per step after the first (warm-up) step, and the first step separately. */
  medianMsPerStep: number;
  firstStepMs: number;
  tokensPerSec: number;
  wallMs: number;
}

/**
 * Let queued messages (pause, stop, other calls) run between steps. Backend work can finish in
 * microtasks alone, which would starve the message queue for a whole run.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export class LmWorkerApi {
  private session: LmSession | null = null;
  private paused = false;
  private stopRequested = false;
  private wake: (() => void) | null = null;
  private training = false;

  async init(opts: SelectOptions): Promise<BackendInfo> {
    return selectBackend(opts);
  }

  /** Load a checkpoint. The previous model is freed only once the new one loaded. */
  async load(files: BaseFiles): Promise<ModelSummary> {
    if (this.training) throw new UserFacingError('stop training before loading another model');
    const next = LmSession.open(files);
    this.session?.dispose();
    this.session = next;
    return next.summary();
  }

  summary(): ModelSummary | null {
    return this.session?.summary() ?? null;
  }

  setDataset(dataset: TextDataset) {
    return this.s().setDataset(dataset);
  }

  /** Runs a whole training run, reporting through `onEvent`; resolves when it ends. */
  async train(settings: RunSettings, plan: TrainPlan, onEvent: (e: TrainEvent) => void): Promise<RunResult> {
    const s = this.s();
    if (this.training) throw new UserFacingError('a training run is already going');
    this.training = true;
    this.paused = false;
    this.stopRequested = false;
    const t0 = performance.now();
    try {
      const run = await s.beginRun(settings);
      onEvent({ type: 'started', run });
      const baseValidationLoss = await s.evaluate(false);
      let validationLoss = run.mode === 'lora' ? baseValidationLoss : await s.evaluate(true);
      onEvent({ type: 'eval', step: 0, validationLoss, baseValidationLoss });
      if (plan.prompts.length) await this.sendSamples(s, plan, 0, onEvent);
      const times: number[] = [];
      let tokens = 0;
      let outcome: RunResult['outcome'] = 'completed';
      let message: string | null = null;
      while (s.stepsDone < settings.totalSteps) {
        await yieldToEventLoop();
        if (this.paused) {
          onEvent({ type: 'paused', step: s.stepsDone });
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
          if (!this.stopRequested) onEvent({ type: 'resumed', step: s.stepsDone });
        }
        if (this.stopRequested) {
          outcome = 'stopped';
          break;
        }
        const stats = await s.step();
        times.push(stats.msPerStep);
        tokens += run.tokensPerStep;
        onEvent({ type: 'step', stats, totalSteps: settings.totalSteps });
        if (stats.stopped) {
          outcome = 'diverged';
          message = stats.stopped;
          break;
        }
        const n = stats.step;
        if (n % plan.evalEvery === 0 || n === settings.totalSteps) {
          validationLoss = await s.evaluate(true);
          onEvent({ type: 'eval', step: n, validationLoss, baseValidationLoss: null });
          if (plan.deltaWModule && run.mode === 'lora') onEvent({ type: 'deltaW', step: n, view: await s.deltaW(plan.deltaWModule) });
        }
        if (plan.sampleEvery > 0 && n % plan.sampleEvery === 0 && n !== settings.totalSteps) await this.sendSamples(s, plan, n, onEvent);
      }
      if (outcome !== 'completed') {
        validationLoss = await s.evaluate(true);
        onEvent({ type: 'eval', step: s.stepsDone, validationLoss, baseValidationLoss: null });
      }
      if (plan.prompts.length) await this.sendSamples(s, plan, s.stepsDone, onEvent);
      const after = times.slice(1).sort((a, b) => a - b);
      const median = after.length ? after[Math.floor(after.length / 2)] : (times[0] ?? 0);
      const steps = s.endRun().steps;
      const wallMs = performance.now() - t0;
      const trainMs = times.reduce((a, b) => a + b, 0);
      return {
        run,
        steps,
        outcome,
        message,
        finalValidationLoss: validationLoss,
        baseValidationLoss,
        medianMsPerStep: median,
        firstStepMs: times[0] ?? 0,
        tokensPerSec: trainMs > 0 ? (tokens / trainMs) * 1000 : 0,
        wallMs,
      };
    } finally {
      if (s.running) s.endRun();
      this.training = false;
      this.paused = false;
    }
  }

  pause(): void {
    if (this.training) this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  stop(): void {
    this.stopRequested = true;
    this.paused = false;
    this.wake?.();
  }

  samples(prompts: string[], opts: { maxNewTokens: number; temperature: number; seed: number; useAdapter: boolean }) {
    return this.s().samples(prompts, opts);
  }

  score(text: string, useAdapter: boolean) {
    return this.s().score(text, useAdapter);
  }

  deltaW(module: string, adapterName?: string) {
    return this.s().deltaW(module, adapterName);
  }

  adapters() {
    return this.session?.adapters() ?? [];
  }

  activate(name: string | null) {
    this.s().activate(name);
    return this.s().adapters();
  }

  deleteAdapter(name: string) {
    this.s().deleteAdapter(name);
    return this.s().adapters();
  }

  async renameAdapter(from: string, to: string) {
    await this.s().renameAdapter(from, to);
    return this.s().adapters();
  }

  merge(name: string) {
    this.s().merge(name);
    return this.s().adapters();
  }

  unmerge(name: string) {
    this.s().unmerge(name);
    return this.s().adapters();
  }

  mix(newName: string, sources: { name: string; weight: number }[], method: 'cat' | 'svd', rank?: number) {
    return this.s().mix(newName, sources, method, rank);
  }

  adapterWeights(name: string) {
    return this.s().adapterWeights(name);
  }

  exportAdapterFiles(name: string, info: { dataset?: string; steps?: number; finalLoss?: number }) {
    return this.s().exportAdapterFiles(name, info);
  }

  exportBaseFiles(merged: boolean) {
    return this.s().exportBaseFiles(merged);
  }

  importAdapterFiles(name: string, source: Uint8Array | Map<string, Uint8Array>) {
    return this.s().importAdapterFiles(name, source);
  }

  restoreAdapter(name: string, weights: Parameters<LmSession['restoreAdapter']>[1]) {
    return this.s().restoreAdapter(name, weights);
  }

  memory() {
    return this.s().memory();
  }

  private async sendSamples(s: LmSession, plan: TrainPlan, step: number, onEvent: (e: TrainEvent) => void) {
    const opts = { maxNewTokens: plan.sampleTokens, temperature: 0.8, seed: 7 };
    const base = await s.samples(plan.prompts, { ...opts, useAdapter: false });
    const tuned = await s.samples(plan.prompts, { ...opts, useAdapter: true });
    onEvent({ type: 'samples', step, base, tuned });
  }

  private s(): LmSession {
    if (!this.session) throw new UserFacingError('no model is loaded yet');
    return this.session;
  }
}
