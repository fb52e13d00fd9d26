/**
 * A sweep of the paper lab: a plan of N runs (engine/paper/sweeps.ts) trained one after the other,
 * each through the Worker's one run loop (./trainLoop), so a sweep run steps, evaluates and
 * survives a lost device exactly as a Train-page run does. After each finished run its adapter
 * moves from the workspace into the lab (./paperLab) under the plan's name. A stop ends the run in
 * progress, which is dropped, and starts no further one; the finished runs stay.
 */
import type { PlannedRun } from '../engine/paper/sweeps';
import { rankOf } from '../engine/paper/sweeps';
import type { LmSession } from '../engine/session/lmSession';
import type { TrainEvent, TrainPlan } from './events';
import type { LabRun, PaperLab, SweepKind } from './paperLab';
import type { RunControl } from './runControl';
import { runTraining, type LoopHost } from './trainLoop';
import type { WorkspaceApi } from './workspaceRemote';

export type SweepEvent =
  /** Run `index` (0-based) of `total` begins; `name` is what the lab will call it. */
  | { type: 'runStarted'; index: number; total: number; key: string; label: string; name: string }
  /** An event of the run in progress (steps, evaluations…), as a single run streams them. */
  | { type: 'run'; index: number; event: TrainEvent }
  | { type: 'runFinished'; index: number; run: LabRun }
  /** The run was stopped before its end: it is not kept. */
  | { type: 'runDropped'; index: number; key: string; steps: number };

export interface SweepResult {
  /** The runs that finished, in plan order. */
  finished: LabRun[];
  /** True when a stop ended the sweep early. */
  stopped: boolean;
}

/** What a sweep needs from the Worker around it. */
export interface SweepHost {
  readonly loop: LoopHost;
  readonly control: RunControl;
  /** The Worker's session now (another one after a lost device). */
  session(): LmSession;
  /** The forwarded workspace: deleting through it keeps the device-loss copies current. */
  readonly workspace: WorkspaceApi;
  readonly lab: PaperLab;
  /** The dataset the runs train on (its task id and label are recorded with each run). */
  readonly dataset: { id: string; label: string };
}

/** Trains `runs` in order; resolves once the last one finished or a stop ended the sweep. */
export async function runSweep(
  host: SweepHost,
  sweep: SweepKind,
  runs: readonly PlannedRun[],
  plan: TrainPlan,
  onEvent: (e: SweepEvent) => void,
): Promise<SweepResult> {
  const finished: LabRun[] = [];
  for (const [index, planned] of runs.entries()) {
    if (host.control.stopping) return { finished, stopped: true };
    const name = planned.settings.adapterName;
    onEvent({ type: 'runStarted', index, total: runs.length, key: planned.key, label: planned.label, name });
    const result = await runTraining(host.loop, host.session(), planned.settings, plan, (event) =>
      onEvent({ type: 'run', index, event }),
    );
    const trained = result.run.adapterName!;
    if (result.outcome === 'stopped') {
      await host.workspace.deleteAdapter(trained);
      onEvent({ type: 'runDropped', index, key: planned.key, steps: result.steps });
      return { finished, stopped: true };
    }
    const weights = await host.session().workspace.adapterWeights(trained);
    await host.workspace.deleteAdapter(trained);
    const run: LabRun = {
      name,
      sweep,
      key: planned.key,
      label: planned.label,
      settings: planned.settings,
      task: host.dataset.id,
      dataset: host.dataset.label,
      r: rankOf(planned.settings),
      trainable: result.run.trainable.trainable,
      modules: [...weights.modules.keys()],
      steps: result.steps,
      outcome: result.outcome,
      validationLoss: result.finalValidationLoss,
      baseValidationLoss: result.baseValidationLoss,
      medianMsPerStep: result.medianMsPerStep,
      wallMs: result.wallMs,
      kept: null,
    };
    host.lab.add(run, weights);
    finished.push(run);
    onEvent({ type: 'runFinished', index, run });
  }
  return { finished, stopped: false };
}
