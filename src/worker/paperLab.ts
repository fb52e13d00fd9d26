/**
 * The paper lab's runs in the Worker: every adapter a sweep trained, kept here as plain data (off
 * the device and out of the adapter workspace, so eleven runs do not crowd the Adapters page) with
 * its result, until the learner keeps one as an adapter. The analyses of the LoRA paper run here,
 * off the page's thread: subspace similarity φ between two adapters' A (Fig. 3, 4) and ΔW's
 * amplification of W (§7.3), on lab runs or on any adapter in the workspace, by name.
 */
import { amplification, type Amplification } from '../engine/paper/amplification';
import { adapterSubspaceSimilarity, type SubspaceSimilarity } from '../engine/paper/subspace';
import type { AdapterWeights } from '../engine/lora/types';
import type { LmSession } from '../engine/session/lmSession';
import type { RunSettings } from '../engine/session/types';
import { UserFacingError } from '../engine/types';
import type { RunResult } from './events';
import type { WorkspaceApi } from './workspaceRemote';

/** Which of the paper's experiments a run belongs to. */
export type SweepKind = 'rank' | 'budget' | 'seed';

/** One finished run of a sweep, as the page shows it. */
export interface LabRun {
  /** Its name in the lab and, once kept, the name it asks for in the workspace ("sweep-r8"). */
  name: string;
  sweep: SweepKind;
  /** The plan's key ("r8", "c_attn", "seed1") and label ("r = 8"). */
  key: string;
  label: string;
  settings: RunSettings;
  /** The task it trained on ("names") and that dataset's label ("First names"). */
  task: string;
  dataset: string;
  r: number;
  trainable: number;
  /** Module paths it adapts, in the model's order. */
  modules: string[];
  steps: number;
  outcome: RunResult['outcome'];
  validationLoss: number;
  baseValidationLoss: number;
  medianMsPerStep: number;
  wallMs: number;
  /** The adapter's name in the workspace once kept (null: only here). */
  kept: string | null;
}

/** φ between two adapters of one module, with what was compared. */
export interface LabSubspace extends SubspaceSimilarity {
  a: string;
  b: string;
  module: string;
  /** The A matrices' input width d_in (random subspaces give φ ≈ max(i, j)/d_in). */
  dIn: number;
}

export interface LabAmplification extends Amplification {
  adapter: string;
  module: string;
}

export class PaperLab {
  private readonly runs = new Map<string, { info: LabRun; weights: AdapterWeights }>();

  constructor(
    /** The loaded session (throws a UserFacingError when none is). */
    private readonly session: () => LmSession,
    /** The Worker's forwarded workspace: changes through it keep the device-loss copies current. */
    private readonly workspace: () => WorkspaceApi,
  ) {}

  /** Every run, in the order they finished. */
  list(): LabRun[] {
    return [...this.runs.values()].map((r) => structuredClone(r.info));
  }

  /** Store (or replace) a finished run under its name. */
  add(info: LabRun, weights: AdapterWeights): void {
    this.runs.delete(info.name); // a re-run moves to the end
    this.runs.set(info.name, { info, weights });
  }

  /** Forget every run (a new base model was loaded: the runs belonged to the old one). */
  clear(): void {
    this.runs.clear();
  }

  /**
   * Keep a run as an adapter in the workspace (the Adapters page lists it; the page stores it in
   * the browser). The active adapter stays as it was. Returns the name it got ("sweep-r8", or
   * "sweep-r8-2" when that is taken).
   */
  async keep(name: string): Promise<string> {
    const run = this.runs.get(name);
    if (!run) throw new UserFacingError(`the lab has no run named "${name}" (have: ${this.names() || 'none'})`);
    const ws = this.workspace();
    if (run.info.kept && (await ws.adapters()).some((a) => a.name === run.info.kept)) return run.info.kept;
    const active = (await ws.adapters()).find((a) => a.active)?.name ?? null;
    const got = await ws.restoreAdapter(name, run.weights);
    await ws.activate(active);
    run.info.kept = got;
    return got;
  }

  /** A lab run's factors, else a workspace adapter's of that name. */
  async weights(name: string): Promise<AdapterWeights> {
    const run = this.runs.get(name);
    if (run) return run.weights;
    const s = this.session();
    if (!s.workspace.adapters().some((a) => a.name === name))
      throw new UserFacingError(`no lab run or adapter named "${name}": run the sweep again or pick another`);
    return s.workspace.adapterWeights(name);
  }

  /** The module paths a lab run or a workspace adapter adapts, in the model's order. */
  async modulesOf(name: string): Promise<string[]> {
    return [...(await this.weights(name)).modules.keys()];
  }

  /** φ(i, j) between the A of two adapters (lab runs or workspace adapters) for one module. */
  async subspace(a: string, b: string, module: string): Promise<LabSubspace> {
    const [wa, wb] = [await this.weights(a), await this.weights(b)];
    const s = adapterSubspaceSimilarity(wa, wb, module);
    return { ...s, a, b, module, dIn: wa.modules.get(module)!.A.shape[1] };
  }

  /**
   * ‖U_rᵀ·W·V_r‖_F for ΔW's top-r directions, W's own and random ones, and ‖ΔW‖_F over the
   * first: W is the module's frozen base weight, read from the session.
   */
  async amplification(adapter: string, module: string, seed = 0): Promise<LabAmplification> {
    const w = await this.weights(adapter);
    const m = w.modules.get(module);
    if (!m) throw new UserFacingError(`"${adapter}" does not adapt ${module}: pick one of the modules it adapts`);
    const base = await this.session().workspace.baseWeight(module);
    return { ...amplification(base.weight, m, { seed, layout: base.layout }), adapter, module };
  }

  private names(): string {
    return [...this.runs.keys()].join(', ');
  }
}
