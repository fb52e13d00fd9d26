/**
 * The paper lab's numbers as the page shows them: sweep progress, which runs a view uses, the φ
 * grid, and plain sentences built only from the learner's own results. Pure, unit-tested.
 */
import type { LabAmplification, LabRun, LabSubspace, SweepKind } from '../../../worker/lmWorkerApi';

export interface LabProgress {
  sweep: SweepKind;
  /** Run in progress, 0-based, of `total`. */
  index: number;
  total: number;
  label: string;
  /** Steps done in that run, of `totalSteps`. */
  step: number;
  totalSteps: number;
}

/** The share of a sweep done, 0…1: finished runs plus the steps of the one in progress. */
export function sweepFraction(p: LabProgress | null): number {
  if (!p || p.total === 0) return 0;
  const inRun = p.totalSteps > 0 ? Math.min(1, p.step / p.totalSteps) : 0;
  return Math.min(1, (p.index + inRun) / p.total);
}

/** `runs` with `run` in place of the one of its name (or at the end). */
export function upsertRun(runs: readonly LabRun[], run: LabRun): LabRun[] {
  return [...runs.filter((r) => r.name !== run.name), run];
}

/** The rank sweep's runs, by rank. */
export function rankRuns(runs: readonly LabRun[]): LabRun[] {
  return runs.filter((r) => r.sweep === 'rank').sort((a, b) => a.r - b.r);
}

/**
 * Seconds a sweep of `runs` runs of `steps` steps takes: `msPerStep` (measured, else the shipped
 * model's ~0.12 s on wasm) plus about two seconds per run for its evaluations and set-up.
 */
export function estimateSeconds(runs: number, steps: number, msPerStep: number | null): number {
  return Math.round((runs * (steps * (msPerStep ?? 120) + 2000)) / 1000);
}

/** "45 s", "3 min 20 s". */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '–';
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export const formatLoss = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'diverged');

/** φ as rows i = 1…rows of columns j = 1…cols. */
export function phiGrid(s: Pick<LabSubspace, 'rows' | 'cols' | 'phi'>): number[][] {
  return Array.from({ length: s.rows }, (_, i) => Array.from(s.phi.subarray(i * s.cols, (i + 1) * s.cols)));
}

/** E[φ(i, j)] for random subspaces of R^d: E‖U_iᵀU_j‖_F² = i·j/d, so max(i, j)/d. */
export function randomPhi(i: number, j: number, d: number): number {
  return Math.min(1, Math.max(i, j) / d);
}

/** How a value compares with what chance gives, in words. */
function versusChance(x: number, chance: number): string {
  if (x > 3 * chance) return 'well above';
  if (x < chance / 3) return 'well below';
  return 'about';
}

/** The φ heatmap's sentence: the top directions' overlap and the grid's mean, against random subspaces. */
export function phiSentence(s: LabSubspace): string {
  const first = s.phi[0];
  let sum = 0;
  let chance = 0;
  for (let i = 1; i <= s.rows; i++)
    for (let j = 1; j <= s.cols; j++) {
      sum += s.phi[(i - 1) * s.cols + (j - 1)];
      chance += randomPhi(i, j, s.dIn);
    }
  const n = s.rows * s.cols;
  const c1 = randomPhi(1, 1, s.dIn);
  const top = `The top directions of ${s.a} and ${s.b} have φ(1, 1) = ${first.toFixed(2)}, ${versusChance(first, c1)} what two random directions in ${s.dIn} dimensions give (${c1.toFixed(2)} on average).`;
  const mean = sum / n;
  const meanChance = chance / n;
  const grid = `Over the whole grid φ averages ${mean.toFixed(2)}, against ${meanChance.toFixed(2)} for random subspaces of these sizes.`;
  return `${top} ${grid}`;
}

/** Where ΔW's projection sits between random directions (0) and W's own top directions (1). */
export function amplificationPosition(a: Pick<LabAmplification, 'projection'>): number {
  const { deltaW, w, random } = a.projection;
  return w > random ? (deltaW - random) / (w - random) : NaN;
}

/** The amplification table's sentence, from the numbers only. */
export function amplificationSentence(a: LabAmplification): string {
  if (a.r === 0)
    return `${a.adapter} has not changed ${a.module} (ΔW = 0, e.g. untrained): there are no directions to compare.`;
  const { deltaW, w, random } = a.projection;
  const f = (x: number) => x.toFixed(2);
  const pos = amplificationPosition(a);
  const where =
    pos < 0.25
      ? 'directions that W itself barely emphasises'
      : pos < 0.75
        ? 'directions that W partly emphasises'
        : 'the directions W already emphasises most';
  const vsRandom =
    deltaW > 1.25 * random
      ? 'more of W than random directions hold'
      : deltaW < 0.8 * random
        ? 'less of W than random directions hold'
        : 'about as much of W as random directions hold';
  const ratio = `‖ΔW‖_F / ‖U_rᵀ·W·V_r‖_F = ${f(a.deltaWNorm)} / ${f(deltaW)}`;
  const factor = !Number.isFinite(a.factor)
    ? `${ratio}: W has nothing along them, so the factor has no bound`
    : a.factor >= 1
      ? `amplification factor ${ratio} = ${a.factor.toFixed(1)}: ΔW is ${a.factor.toFixed(1)}× as large as what W has along them`
      : `amplification factor ${ratio} = ${a.factor.toFixed(2)}: ΔW is smaller than what W already has along them`;
  return (
    `Along ΔW's top ${a.r} directions W has ‖U_rᵀ·W·V_r‖_F = ${f(deltaW)} (${vsRandom}: ${f(random)}), against ${f(w)} along W's own top ${a.r}: ` +
    `ΔW works in ${where}; ${factor}.`
  );
}

/**
 * The adapters φ compares by default: for r vs r, the sweep's r = 8 and its largest rank; for
 * seeds, the two seed runs. Falls back to the first two names there are.
 */
export function defaultPair(names: readonly string[], runs: readonly LabRun[]): [string, string] {
  const ranks = rankRuns(runs);
  const small = ranks.find((r) => r.r === 8) ?? ranks[0];
  const large = ranks[ranks.length - 1];
  if (small && large && small !== large) return [small.name, large.name];
  const seeds = runs.filter((r) => r.sweep === 'seed');
  if (seeds.length >= 2) return [seeds[0].name, seeds[1].name];
  return [names[0] ?? '', names[1] ?? names[0] ?? ''];
}

/** The modules both adapters adapt, in the first one's order. */
export function sharedModules(first: readonly string[], second: readonly string[]): string[] {
  const other = new Set(second);
  return first.filter((m) => other.has(m));
}
