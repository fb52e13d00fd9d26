/**
 * The training Worker's API (exposed with comlink): one LmSession, a training loop that can be
 * paused, resumed and stopped between steps (./trainLoop), progress events with plain numbers,
 * and the session's adapter workspace (`api.workspace.*`, ./workspaceRemote). When the WebGPU
 * device is lost the Worker moves to the next backend and carries on from copies it keeps in
 * host memory (DeviceKeeper). Kept free of Worker globals so Node tests drive it directly.
 */
import { proxy } from 'comlink';
import type { BackendInfo, SelectOptions } from '../engine/backend';
import type { TextDataset } from '../engine/data/tasks';
import type { PlannedRun } from '../engine/paper/sweeps';
import { destroyWebGpuDevice } from '../engine/session/deviceLoss';
import { LmSession } from '../engine/session/lmSession';
import type { BaseFiles, ModelSummary, RunSettings, SampleOptions } from '../engine/session/types';
import { UserFacingError, type TensorMap } from '../engine/types';
import type { DeltaWView } from '../engine/session/deltaW';
import { DeviceKeeper, disposeQuietly } from './deviceKeeper';
import type { DeviceEvent, RunResult, TrainEvent, TrainPlan } from './events';
import { RunControl } from './runControl';
import { runTraining, type LoopHost } from './trainLoop';
import { PaperLab, type SweepKind } from './paperLab';
import { runSweep, type SweepEvent, type SweepResult } from './sweepRunner';
import { forwardWorkspace, type WorkspaceApi } from './workspaceRemote';

export type {
  DeviceEvent,
  DeviceLostEvent,
  DeviceLoss,
  RecoveredEvent,
  RunResult,
  TrainEvent,
  TrainPlan,
} from './events';
export type { WorkspaceApi } from './workspaceRemote';
export type { LabAmplification, LabRun, LabSubspace, SweepKind } from './paperLab';
export type { SweepEvent, SweepResult } from './sweepRunner';

export class LmWorkerApi {
  private session: LmSession | null = null;
  private training = false;
  /** True while the model is being reloaded on another backend after a device loss. */
  private recovering = false;
  private readonly keeper = new DeviceKeeper();
  private readonly control = new RunControl();
  private readonly deviceListeners = new Set<(e: DeviceEvent) => void>();
  /** The last full fine-tuning run's final weights (host copies), until the next one or another model. */
  private fullRun: TensorMap | null = null;

  /**
   * The loaded model's adapters: every AdapterWorkspace operation (list, activate, rename,
   * delete, merge, unmerge, mix, import, export, restore, ΔW), e.g. `await api.workspace.merge(name)`.
   * Changes refresh the host copies that survive a lost device before they resolve.
   */
  readonly workspace: WorkspaceApi = forwardWorkspace(
    () => this.session?.workspace ?? null,
    () => this.s() as never,
    (fresh) => this.afterChange(fresh),
  );

  /**
   * The paper lab's finished sweep runs and its analyses (φ, amplification), by name, e.g.
   * `await api.lab.subspace('sweep-r8', 'sweep-r64', module)`.
   */
  readonly lab = proxy(
    new PaperLab(
      () => this.s(),
      () => this.workspace,
    ),
  );

  private readonly loopHost: LoopHost = {
    keeper: this.keeper,
    control: this.control,
    setSession: (s) => {
      this.session = s;
      this.recovering = s === null;
    },
    armWatch: () => this.armWatch(),
    emitDevice: (e) => this.emitDevice(e),
    keepFullRun: (weights) => (this.fullRun = weights),
  };

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
    const next = await LmSession.load(files);
    this.session?.dispose();
    this.session = next;
    this.lab.clear(); // its runs were trained on the previous base
    this.fullRun = null;
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
    return this.exclusive((s) => runTraining(this.loopHost, s, settings, plan, onEvent));
  }

  /**
   * Trains a paper-lab plan of runs one after the other (see ./sweepRunner): each finished run's
   * adapter moves into `lab` under its planned name; `stop()` ends the run in progress (dropped)
   * and the sweep. The adapter that was active before is active again afterwards.
   */
  async sweep(
    kind: SweepKind,
    runs: PlannedRun[],
    plan: TrainPlan,
    onEvent: (e: SweepEvent) => void,
  ): Promise<SweepResult> {
    const active =
      this.s()
        .workspace.adapters()
        .find((a) => a.active)?.name ?? null;
    const host = {
      loop: this.loopHost,
      control: this.control,
      session: () => this.s(),
      workspace: this.workspace,
      lab: this.lab,
      dataset: { id: this.keeper.dataset?.id ?? '', label: this.keeper.dataset?.label ?? '' },
    };
    try {
      return await this.exclusive(() => runSweep(host, kind, runs, plan, onEvent));
    } finally {
      const names = (await this.workspace.adapters()).map((a) => a.name);
      await this.workspace.activate(active !== null && names.includes(active) ? active : null).catch(() => undefined);
    }
  }

  /** One training job at a time (a run or a sweep), with pause/stop reset before and after. */
  private async exclusive<T>(job: (s: LmSession) => Promise<T>): Promise<T> {
    const s = this.s();
    if (this.training) throw new UserFacingError('a training run is already going');
    this.training = true;
    this.control.reset();
    try {
      return await job(s);
    } finally {
      try {
        if (this.session?.running) this.session.endRun();
      } catch {
        /* a session on a failed backend */
      }
      this.training = false;
      this.control.reset();
      this.recovering = false;
    }
  }

  pause(): void {
    if (this.training) this.control.pause();
  }

  resume(): void {
    this.control.resume();
  }

  stop(): void {
    this.control.stop();
  }

  /** ΔW = W_full − W₀ of one module for the last full fine-tuning run (see LmSession.fullDeltaW). */
  async fullRunDeltaW(module: string): Promise<DeltaWView> {
    return this.s().fullDeltaW(module, this.requireFullRun());
  }

  /** The last full fine-tuning run's model as Hugging Face GPT-2 files (config, weights, tokenizer). */
  fullRunFiles() {
    return this.s().fullModelFiles(this.requireFullRun());
  }

  private requireFullRun(): TensorMap {
    if (!this.fullRun) throw new UserFacingError('no full fine-tuning run on this model yet');
    return this.fullRun;
  }

  samples(prompts: string[], opts: SampleOptions) {
    return this.s().samples(prompts, opts);
  }

  score(text: string, useAdapter: boolean) {
    return this.s().score(text, useAdapter);
  }

  memory() {
    return this.s().memory();
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
    if (k.files) this.session = await k.rebuild(null);
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
  private async afterChange(fresh: string[]): Promise<void> {
    try {
      if (this.session) await this.keeper.watch.race(this.keeper.host.refresh(this.session.workspace, fresh));
    } catch {
      /* the device went away mid-read: the watch reloads from the copies taken before */
    }
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
