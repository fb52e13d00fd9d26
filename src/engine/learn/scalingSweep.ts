/**
 * Why α/r: train the same layer on the same task with the same α and learning rate at several
 * ranks, and measure ‖ΔW‖_F after a few Adam steps under each scaling rule. Adam's first steps
 * move each entry of B by about lr whatever the gradient's size, so B·A grows with r; dividing
 * by r cancels that, α/√r (rsLoRA) half cancels it, and a bare α lets it grow with r.
 */
import { InitDemo, SCALING_RULES, type ScalingRule } from './initDemo';

export const SWEEP_RANKS = [1, 2, 4, 8, 16, 32] as const;

export interface SweepOptions {
  /** Layer width: d_in = d_out = d (must exceed the largest rank). */
  d: number;
  alpha: number;
  lr: number;
  steps: number;
  ranks?: readonly number[];
  rules?: readonly ScalingRule[];
}

export interface SweepPoint {
  rule: ScalingRule;
  r: number;
  scaling: number;
  /** ‖ΔW‖_F after `steps` Adam steps. */
  deltaWNorm: number;
  /** Loss after `steps` steps (to show all runs are fitting the same task). */
  loss: number;
}

/**
 * Runs every (rule, r) pair with PEFT's default init and returns ‖ΔW‖_F after `steps` steps.
 * `onProgress(done, total)` is called after each run so a page can show real progress.
 */
export async function runScalingSweep(
  o: SweepOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<SweepPoint[]> {
  const ranks = o.ranks ?? SWEEP_RANKS;
  const rules = o.rules ?? SCALING_RULES;
  const out: SweepPoint[] = [];
  const total = ranks.length * rules.length;
  for (const rule of rules) {
    for (const r of ranks) {
      const demo = new InitDemo({
        dIn: o.d,
        dOut: o.d,
        r,
        alpha: o.alpha,
        lr: o.lr,
        init: 'peft',
        scalingRule: rule,
        batch: 64,
      });
      try {
        for (let i = 0; i < o.steps; i++) await demo.step(false);
        const snap = await demo.snapshot();
        out.push({ rule, r, scaling: demo.scaling, deltaWNorm: snap.deltaWNorm, loss: snap.loss });
      } finally {
        demo.dispose();
      }
      onProgress?.(out.length, total);
    }
  }
  return out;
}
