/**
 * The Worker's run loop: start (or resume), evaluate the base, step to the end with evaluations,
 * snapshots and samples on the plan's schedule, finish. When the backend fails (a lost WebGPU
 * device, or a step that throws there) it moves to the next backend, reopens the base with every
 * adapter from the host copies and goes again from the last snapshot of the trained weights:
 * `deviceLost` then `recovered` events say so.
 */
import { allFinite } from '../engine/session/hostCopy';
import { isBackendFailure } from '../engine/session/deviceLoss';
import { SAMPLE_DEFAULTS } from '../engine/session/defaults';
import type { LmSession } from '../engine/session/lmSession';
import type { RunSettings, RunSnapshot } from '../engine/session/types';
import type { TensorMap } from '../engine/types';
import { disposeQuietly, recoveredEvent, type DeviceKeeper } from './deviceKeeper';
import type { DeviceEvent, RunResult, TrainEvent, TrainPlan } from './events';
import type { RunControl } from './runControl';
import { RunState } from './runState';

/** Fixed, so that samples at different steps differ only by what the model learned. */
const SAMPLE_SEED = 7;

/** What the loop needs from the Worker around it. */
export interface LoopHost {
  readonly keeper: DeviceKeeper;
  readonly control: RunControl;
  /** The Worker's session is now `s`; null while the model is being reloaded on another backend. */
  setSession(s: LmSession | null): void;
  /** Watch the (new) device for losses. */
  armWatch(): void;
  /** Tell the Worker's device listeners (as well as the run's own events). */
  emitDevice(e: DeviceEvent): void;
  /** A full run's final trained weights (host copies), kept for comparison and export after the run. */
  keepFullRun(weights: TensorMap): void;
}

/** Runs `settings` on `session` to the end (or a stop, or divergence), across device losses. */
export function runTraining(
  host: LoopHost,
  session: LmSession,
  settings: RunSettings,
  plan: TrainPlan,
  onEvent: (e: TrainEvent) => void,
): Promise<RunResult> {
  return new TrainLoop(host, session, settings, plan, onEvent).run();
}

class TrainLoop {
  private readonly state = new RunState();
  private readonly snapEvery: number;

  constructor(
    private readonly host: LoopHost,
    /** null between a backend failure and the reopening on the next backend. */
    private s: LmSession | null,
    private readonly settings: RunSettings,
    private readonly plan: TrainPlan,
    private readonly onEvent: (e: TrainEvent) => void,
  ) {
    this.snapEvery = Math.max(1, Math.floor(plan.snapshotEvery ?? plan.evalEvery));
  }

  async run(): Promise<RunResult> {
    for (;;) {
      try {
        await this.attempt();
        break;
      } catch (e) {
        if (!isBackendFailure(e)) throw e;
        await this.fallBack(e);
      }
    }
    const steps = this.s!.endRun(this.state.validationLoss).steps;
    return this.state.result(steps, this.host.keeper.backend!);
  }

  /** One go on the current backend, from wherever the run stands. */
  private async attempt(): Promise<void> {
    const s = this.s ?? (await this.reopen());
    if (!s.running) await this.start(s);
    if (this.state.baseValidationLoss === null) await this.evaluateBase(s);
    await this.stepToEnd(s);
    await this.finish(s);
  }

  /** After a device loss: the kept checkpoint on the new backend with every adapter but the trained one. */
  private async reopen(): Promise<LmSession> {
    const st = this.state;
    const s = await this.host.keeper.rebuild(st.snapshot?.adapterName ?? st.info?.adapterName ?? null);
    this.s = s;
    this.host.setSession(s);
    return s;
  }

  /** Begin the run, or resume it from the last snapshot; the first time, copy everything to the host. */
  private async start(s: LmSession): Promise<void> {
    const { state: st, host } = this;
    const k = host.keeper;
    const info = await this.guard(s.beginRun(this.settings, st.snapshot ?? undefined));
    if (!st.info) this.emit({ type: 'started', run: (st.info = info) });
    if (st.deviceLosses.length) this.emit(await recoveredEvent(s, st.snapshot, k.backend!, this.guard));
    if (!st.snapshot) {
      await this.guard(k.host.refresh(s.workspace, info.adapterName ? [info.adapterName] : []));
      k.residual = (await this.guard(s.residualBaseFiles())) ?? k.residual;
      st.snapshot = await this.takeSnapshot(s);
    }
  }

  /** Step 0: the base's validation loss (and the run's, which differs only for full runs), samples. */
  private async evaluateBase(s: LmSession): Promise<void> {
    const st = this.state;
    const base = await this.guard(s.evaluate(false));
    st.validationLoss = st.info!.mode === 'lora' ? base : await this.guard(s.evaluate(true));
    st.baseValidationLoss = base;
    this.emit({ type: 'eval', step: 0, validationLoss: st.validationLoss, baseValidationLoss: base });
    if (this.plan.prompts.length) await this.guard(this.sendSamples(s, 0));
  }

  /** Steps until the last one, a stop or divergence, with the plan's evaluations, snapshots and samples. */
  private async stepToEnd(s: LmSession): Promise<void> {
    const { state: st, plan } = this;
    const total = this.settings.totalSteps;
    while (s.stepsDone < total) {
      const stop = await this.host.control.between(
        () => this.emit({ type: 'paused', step: s.stepsDone }),
        () => this.emit({ type: 'resumed', step: s.stepsDone }),
      );
      if (stop) {
        st.outcome = 'stopped';
        return;
      }
      const stats = await this.guard(s.step());
      st.stepped(stats);
      this.emit({ type: 'step', stats, totalSteps: total });
      if (stats.stopped) {
        st.outcome = 'diverged';
        st.message = stats.stopped;
        return;
      }
      st.lastLoss = stats.loss;
      const n = stats.step;
      const evalNow = n % plan.evalEvery === 0 || n === total;
      if (evalNow) {
        st.validationLoss = await this.guard(s.evaluate(true));
        this.emit({ type: 'eval', step: n, validationLoss: st.validationLoss, baseValidationLoss: null });
        if (plan.deltaWModule && st.info!.mode === 'lora')
          this.emit({ type: 'deltaW', step: n, view: await this.guard(s.workspace.deltaW(plan.deltaWModule)) });
      }
      if (evalNow || n % this.snapEvery === 0) st.snapshot = (await this.takeSnapshot(s)) ?? st.snapshot;
      if (plan.sampleEvery > 0 && n % plan.sampleEvery === 0 && n !== total) await this.guard(this.sendSamples(s, n));
    }
  }

  /** The last evaluation (unless the last step had one), samples, and the host copy of the trained adapter. */
  private async finish(s: LmSession): Promise<void> {
    const st = this.state;
    if (st.outcome !== 'completed') {
      st.validationLoss = await this.guard(s.evaluate(true));
      this.emit({ type: 'eval', step: s.stepsDone, validationLoss: st.validationLoss, baseValidationLoss: null });
    }
    if (this.plan.prompts.length) await this.guard(this.sendSamples(s, s.stepsDone));
    const name = st.info!.adapterName;
    if (name) this.host.keeper.host.set(name, await this.guard(s.workspace.adapterWeights(name)));
    // The copy itself is freed with the run: keep its final (finite) weights on the host.
    if (st.info!.mode === 'full') {
      const last = (await this.takeSnapshot(s)) ?? st.snapshot;
      if (last?.mode === 'full') this.host.keepFullRun(last.weights as TensorMap);
    }
  }

  /** The backend failed: free what was on it, move to the next one (or rethrow when none is left). */
  private async fallBack(e: unknown): Promise<void> {
    const { host } = this;
    const k = host.keeper;
    const reason = await k.failureReason(e);
    disposeQuietly(this.s);
    this.s = null;
    host.setSession(null);
    const { from, to } = await k.fallBack(e);
    host.armWatch();
    const loss = { step: this.state.lastStep, reason, from, to: to.name };
    this.state.deviceLosses.push(loss);
    this.emit({ type: 'deviceLost', ...loss });
  }

  /** The trained weights now if they are all finite, else null (keep the last good snapshot). */
  private async takeSnapshot(s: LmSession): Promise<RunSnapshot | null> {
    const next = await this.guard(s.runSnapshot(this.state.lastLoss));
    return allFinite(next.weights) ? next : null;
  }

  private async sendSamples(s: LmSession, step: number): Promise<void> {
    const opts = { maxNewTokens: this.plan.sampleTokens, temperature: SAMPLE_DEFAULTS.temperature, seed: SAMPLE_SEED };
    const base = await s.samples(this.plan.prompts, { ...opts, useAdapter: false });
    const tuned = await s.samples(this.plan.prompts, { ...opts, useAdapter: true });
    this.emit({ type: 'samples', step, base, tuned });
  }

  /** Fails the wait as soon as the device is lost, instead of waiting on a read-back that never comes. */
  private readonly guard = <T>(p: Promise<T>): Promise<T> => this.host.keeper.watch.race(p);

  private emit(e: TrainEvent): void {
    this.onEvent(e);
    if (e.type === 'deviceLost' || e.type === 'recovered') this.host.emitDevice(e);
  }
}
