/**
 * The training Worker's API (exposed with comlink): one LmSession, a training loop that can be
 * paused, resumed and stopped between steps, and progress events with plain numbers. When the
 * WebGPU device is lost the Worker moves to the next backend and carries on from copies it keeps
 * in host memory (DeviceKeeper). Kept free of Worker globals so Node tests drive it directly.
 */
import type { BackendInfo, SelectOptions } from '../engine/backend';
import type { TextDataset } from '../engine/data/tasks';
import { destroyWebGpuDevice, isBackendFailure } from '../engine/session/deviceLoss';
import { allFinite } from '../engine/session/hostCopy';
import {
  LmSession,
  type BaseFiles,
  type ModelSummary,
  type RunInfo,
  type RunSettings,
  type RunSnapshot,
} from '../engine/session/lmSession';
import { UserFacingError } from '../engine/types';
import { DeviceKeeper, disposeQuietly, recoveredEvent } from './deviceKeeper';
import type { DeviceEvent, DeviceLoss, RunResult, TrainEvent, TrainPlan } from './events';

export type {
  DeviceEvent,
  DeviceLostEvent,
  DeviceLoss,
  RecoveredEvent,
  RunResult,
  TrainEvent,
  TrainPlan,
} from './events';

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
  /** True while the model is being reloaded on another backend after a device loss. */
  private recovering = false;
  private readonly keeper = new DeviceKeeper();
  private readonly deviceListeners = new Set<(e: DeviceEvent) => void>();

  async init(opts: SelectOptions): Promise<BackendInfo> {
    const info = await this.keeper.init(opts);
    this.armWatch();
    return info;
  }

  /** The backend tfjs runs on now (it changes when a lost device makes the Worker fall back). */
  backendInfo(): BackendInfo | null {
    return this.keeper.backend;
  }

  /**
   * Be told when the device is lost and the Worker moved to another backend, during a run (as
   * well as the run's own events) or while idle.
   */
  onDeviceEvent(listener: (e: DeviceEvent) => void): void {
    this.deviceListeners.add(listener);
  }

  /** Destroy the WebGPU device, as a driver reset would (for tests of recovery). Webgpu only. */
  simulateDeviceLoss(): void {
    destroyWebGpuDevice();
  }

  /** Load a checkpoint. The previous model is freed only once the new one loaded. */
  async load(files: BaseFiles): Promise<ModelSummary> {
    if (this.training) throw new UserFacingError('stop training before loading another model');
    const next = LmSession.open(files);
    this.session?.dispose();
    this.session = next;
    // Kept so that a lost device costs no reload from the network or the user's disk.
    this.keeper.loaded(files);
    return next.summary();
  }

  summary(): ModelSummary | null {
    return this.session?.summary() ?? null;
  }

  setDataset(dataset: TextDataset) {
    const out = this.s().setDataset(dataset);
    this.keeper.dataset = dataset;
    return out;
  }

  /**
   * Runs a whole training run, reporting through `onEvent`; resolves when it ends. When the
   * device is lost (or a step throws on a failing backend), the run moves to the next backend,
   * reloads the base from the kept checkpoint, restores every adapter from its host copy and
   * resumes from the last snapshot of the trained weights (taken every `plan.snapshotEvery`
   * steps and at each evaluation): `deviceLost` then `recovered` events say so.
   */
  async train(settings: RunSettings, plan: TrainPlan, onEvent: (e: TrainEvent) => void): Promise<RunResult> {
    let s = this.s();
    if (this.training) throw new UserFacingError('a training run is already going');
    this.training = true;
    this.paused = false;
    this.stopRequested = false;
    const k = this.keeper;
    const g = <T>(p: Promise<T>) => k.watch.race(p);
    const emit = (e: TrainEvent) => {
      onEvent(e);
      if (e.type === 'deviceLost' || e.type === 'recovered') this.emitDevice(e);
    };
    const snapEvery = Math.max(1, Math.floor(plan.snapshotEvery ?? plan.evalEvery));
    const t0 = performance.now();
    const times: number[] = [];
    const losses: DeviceLoss[] = [];
    let tokens = 0;
    let run: RunInfo | null = null;
    let snap: RunSnapshot | null = null;
    let baseValidationLoss: number | null = null;
    let validationLoss = NaN;
    let lastStep = 0;
    let lastLoss = NaN;
    let outcome: RunResult['outcome'] = 'completed';
    let message: string | null = null;
    let rebuild = false;
    // The last finite trained weights, or null when these are not finite.
    const takeSnapshot = async (): Promise<RunSnapshot | null> => {
      const next = await g(s.runSnapshot(lastLoss));
      return allFinite(next.weights) ? next : null;
    };
    try {
      for (let done = false; !done;) {
        try {
          if (rebuild) {
            s = k.rebuild(snap?.adapterName ?? run?.adapterName ?? null);
            this.session = s;
            rebuild = false;
            this.recovering = false;
          }
          if (!s.running) {
            const info = await g(s.beginRun(settings, snap ?? undefined));
            if (!run) emit({ type: 'started', run: (run = info) });
            if (losses.length) emit(await recoveredEvent(s, snap, k.backend!, g));
            if (!snap) {
              await g(k.host.refresh(s, info.adapterName ? [info.adapterName] : []));
              k.residual = (await g(s.residualBaseFiles())) ?? k.residual;
              snap = await takeSnapshot();
            }
          }
          if (baseValidationLoss === null) {
            const base = await g(s.evaluate(false));
            validationLoss = run!.mode === 'lora' ? base : await g(s.evaluate(true));
            baseValidationLoss = base;
            emit({ type: 'eval', step: 0, validationLoss, baseValidationLoss });
            if (plan.prompts.length) await g(this.sendSamples(s, plan, 0, emit));
          }
          while (s.stepsDone < settings.totalSteps) {
            await yieldToEventLoop();
            if (this.paused) {
              emit({ type: 'paused', step: s.stepsDone });
              await new Promise<void>((resolve) => (this.wake = resolve));
              this.wake = null;
              if (!this.stopRequested) emit({ type: 'resumed', step: s.stepsDone });
            }
            if (this.stopRequested) {
              outcome = 'stopped';
              break;
            }
            const stats = await g(s.step());
            lastStep = stats.step;
            times.push(stats.msPerStep);
            tokens += run!.tokensPerStep;
            emit({ type: 'step', stats, totalSteps: settings.totalSteps });
            if (stats.stopped) {
              outcome = 'diverged';
              message = stats.stopped;
              break;
            }
            lastLoss = stats.loss;
            const n = stats.step;
            const evalNow = n % plan.evalEvery === 0 || n === settings.totalSteps;
            if (evalNow) {
              validationLoss = await g(s.evaluate(true));
              emit({ type: 'eval', step: n, validationLoss, baseValidationLoss: null });
              if (plan.deltaWModule && run!.mode === 'lora')
                emit({ type: 'deltaW', step: n, view: await g(s.deltaW(plan.deltaWModule)) });
            }
            if (evalNow || n % snapEvery === 0) snap = (await takeSnapshot()) ?? snap;
            if (plan.sampleEvery > 0 && n % plan.sampleEvery === 0 && n !== settings.totalSteps)
              await g(this.sendSamples(s, plan, n, emit));
          }
          if (outcome !== 'completed') {
            validationLoss = await g(s.evaluate(true));
            emit({ type: 'eval', step: s.stepsDone, validationLoss, baseValidationLoss: null });
          }
          if (plan.prompts.length) await g(this.sendSamples(s, plan, s.stepsDone, emit));
          if (run!.adapterName) k.host.set(run!.adapterName, await g(s.adapterWeights(run!.adapterName)));
          done = true;
        } catch (e) {
          if (!isBackendFailure(e)) throw e;
          const reason = await k.failureReason(e);
          disposeQuietly(s);
          this.session = null;
          this.recovering = true;
          const { from, to } = await k.fallBack(e);
          this.armWatch();
          losses.push({ step: lastStep, reason, from, to: to.name });
          emit({ type: 'deviceLost', step: lastStep, reason, from, to: to.name });
          rebuild = true;
        }
      }
      const after = times.slice(1).sort((a, b) => a - b);
      const median = after.length ? after[Math.floor(after.length / 2)] : (times[0] ?? 0);
      const steps = s.endRun(validationLoss).steps;
      const trainMs = times.reduce((a, b) => a + b, 0);
      return {
        run: run!,
        steps,
        outcome,
        message,
        finalValidationLoss: validationLoss,
        baseValidationLoss: baseValidationLoss!,
        medianMsPerStep: median,
        firstStepMs: times[0] ?? 0,
        tokensPerSec: trainMs > 0 ? (tokens / trainMs) * 1000 : 0,
        wallMs: performance.now() - t0,
        backend: k.backend!,
        deviceLosses: losses,
      };
    } finally {
      try {
        if (this.session?.running) this.session.endRun();
      } catch {
        /* a session on a failed backend */
      }
      this.training = false;
      this.paused = false;
      this.recovering = false;
    }
  }

  /** Listen for the loss of the (new) device: while idle, reload everything on the next backend. */
  private armWatch(): void {
    const watch = this.keeper.watch;
    watch.onLost((reason) => {
      if (this.training || watch !== this.keeper.watch) return; // a run recovers by itself
      this.recovering = true;
      void this.recoverIdle(reason)
        .catch(() => undefined) // no backend left: calls then say that no model is loaded
        .finally(() => (this.recovering = false));
    });
  }

  private async recoverIdle(reason: string): Promise<void> {
    const k = this.keeper;
    disposeQuietly(this.session);
    this.session = null;
    const { from, to } = await k.fallBack(new Error(reason));
    this.armWatch();
    this.emitDevice({ type: 'deviceLost', step: 0, reason, from, to: to.name });
    if (k.files) this.session = k.rebuild(null);
    const message = `Now on ${to.name}: the model and ${k.host.names().length} adapter(s) were reloaded from copies in memory.`;
    this.emitDevice({ type: 'recovered', step: 0, backend: to, restoredMaxAbsDiff: null, message });
  }

  private emitDevice(e: DeviceEvent): void {
    for (const l of this.deviceListeners) {
      try {
        void l(e);
      } catch {
        /* a listener that went away */
      }
    }
  }

  /** After an adapter changed while idle: bring the host copies up to date (`fresh`: re-read these). */
  private async afterChange(fresh: string[] = []): Promise<void> {
    try {
      if (this.session) await this.keeper.watch.race(this.keeper.host.refresh(this.session, fresh));
    } catch {
      /* the device went away mid-read: the watch reloads from the copies taken before */
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

  // Every change to the adapters is followed by a refresh of their host copies (afterChange).

  async activate(name: string | null) {
    this.s().activate(name);
    await this.afterChange();
    return this.s().adapters();
  }

  async deleteAdapter(name: string) {
    this.s().deleteAdapter(name);
    await this.afterChange();
    return this.s().adapters();
  }

  async renameAdapter(from: string, to: string) {
    await this.s().renameAdapter(from, to);
    await this.afterChange([to.trim()]);
    return this.s().adapters();
  }

  async merge(name: string) {
    this.s().merge(name);
    await this.afterChange();
    return this.s().adapters();
  }

  async unmerge(name: string) {
    this.s().unmerge(name);
    await this.afterChange();
    return this.s().adapters();
  }

  async mix(newName: string, sources: { name: string; weight: number }[], method: 'cat' | 'svd', rank?: number) {
    const out = await this.s().mix(newName, sources, method, rank);
    await this.afterChange([out.name]);
    return out;
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

  async importAdapterFiles(name: string, source: Uint8Array | Map<string, Uint8Array>) {
    const out = this.s().importAdapterFiles(name, source);
    await this.afterChange([out.name]);
    return out;
  }

  async restoreAdapter(name: string, weights: Parameters<LmSession['restoreAdapter']>[1]) {
    const unique = this.s().restoreAdapter(name, weights);
    await this.afterChange([unique]);
    return unique;
  }

  memory() {
    return this.s().memory();
  }

  private async sendSamples(
    s: LmSession,
    plan: TrainPlan,
    step: number,
    onEvent: (e: TrainEvent) => void,
  ): Promise<void> {
    const opts = { maxNewTokens: plan.sampleTokens, temperature: 0.8, seed: 7 };
    const base = await s.samples(plan.prompts, { ...opts, useAdapter: false });
    const tuned = await s.samples(plan.prompts, { ...opts, useAdapter: true });
    onEvent({ type: 'samples', step, base, tuned });
  }

  private s(): LmSession {
    if (!this.session && this.recovering) {
      throw new UserFacingError(
        `the GPU device was lost: the model is being reloaded on ${this.keeper.backend?.name ?? 'another backend'}; try again in a moment`,
      );
    }
    if (!this.session) throw new UserFacingError('no model is loaded yet');
    return this.session;
  }
}
