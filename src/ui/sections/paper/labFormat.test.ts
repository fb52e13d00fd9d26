import { describe, expect, it } from 'vitest';
import { subspaceSimilarity } from '../../../engine/paper/subspace';
import type { HostTensor } from '../../../engine/types';
import type { LabAmplification, LabRun, LabSubspace } from '../../../worker/lmWorkerApi';
import {
  amplificationPosition,
  amplificationSentence,
  defaultPair,
  estimateSeconds,
  formatDuration,
  phiGrid,
  phiSentence,
  randomPhi,
  rankRuns,
  sharedModules,
  sweepFraction,
  upsertRun,
} from './labFormat';

const run = (name: string, sweep: LabRun['sweep'], r: number, over: Partial<LabRun> = {}): LabRun =>
  ({ name, sweep, r, key: name, label: name, validationLoss: 2, baseValidationLoss: 2.5, steps: 8, ...over }) as LabRun;

/** Rows e_k of the d-dimensional standard basis, as an A [rows, d]. */
function basisRows(ks: number[], d: number): HostTensor {
  const data = new Float32Array(ks.length * d);
  ks.forEach((k, i) => (data[i * d + k] = ks.length - i)); // σ falls along the list: e_{ks[0]} first
  return { shape: [ks.length, d], data };
}

const labSub = (s: ReturnType<typeof subspaceSimilarity>, dIn: number): LabSubspace => ({
  ...s,
  a: 'one',
  b: 'two',
  module: 'm',
  dIn,
});

describe('paper lab numbers', () => {
  it('a sweep’s progress counts finished runs plus the steps of the one in progress', () => {
    expect(sweepFraction(null)).toBe(0);
    const p = { sweep: 'rank' as const, index: 2, total: 5, label: 'r = 4', step: 30, totalSteps: 60 };
    expect(sweepFraction(p)).toBeCloseTo(0.5, 12);
    expect(sweepFraction({ ...p, index: 4, step: 60 })).toBe(1);
    expect(estimateSeconds(5, 60, null)).toBe(46); // 5 × (60 × 0.12 s + 2 s)
    expect(formatDuration(46)).toBe('46 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
  });

  it('a re-run replaces the run of its name; rank runs sort by r', () => {
    const runs = upsertRun(
      [run('sweep-r8', 'rank', 8), run('sweep-r1', 'rank', 1)],
      run('sweep-r8', 'rank', 8, { steps: 9 }),
    );
    expect(runs.map((r) => [r.name, r.steps])).toEqual([
      ['sweep-r1', 8],
      ['sweep-r8', 9],
    ]);
    expect(rankRuns([...runs, run('budget-c_attn', 'budget', 8)]).map((r) => r.r)).toEqual([1, 8]);
  });

  it('φ = 1 everywhere for the same subspace, 0 for orthogonal ones; the sentence says so against chance', () => {
    const d = 16;
    const same = subspaceSimilarity(basisRows([0, 1, 2], d), basisRows([0, 1, 2, 3, 4, 5], d));
    for (const v of phiGrid(same).flat()) expect(v).toBeCloseTo(1, 6);
    expect(phiGrid(same)).toHaveLength(3);
    expect(phiGrid(same)[0]).toHaveLength(6);
    const text = phiSentence(labSub(same, d));
    expect(text).toMatch(/φ\(1, 1\) = 1\.00, well above what two random directions in 16 dimensions give \(0\.06/);
    const orth = subspaceSimilarity(basisRows([0, 1], d), basisRows([2, 3, 4], d));
    expect(
      phiGrid(orth)
        .flat()
        .every((v) => Math.abs(v) < 1e-9),
    ).toBe(true);
    expect(phiSentence(labSub(orth, d))).toMatch(/φ\(1, 1\) = 0\.00, well below/);
    expect(randomPhi(2, 5, 10)).toBe(0.5);
    expect(randomPhi(20, 5, 10)).toBe(1);
  });

  it('the amplification sentence places ΔW between random and W’s own directions, and states the factor', () => {
    const a = {
      adapter: 'sweep-r8',
      module: 'm',
      r: 4,
      deltaWNorm: 6.91,
      wNorm: 61.95,
      projection: { deltaW: 0.32, w: 21.67, random: 0.02 },
      factor: 6.91 / 0.32,
      deltaWSigma: [],
      wSigma: [],
      deltaWRank: 4,
    } as LabAmplification;
    expect(amplificationPosition(a)).toBeCloseTo(0.3 / 21.65, 9);
    const text = amplificationSentence(a);
    expect(text).toContain('more of W than random directions hold: 0.02');
    expect(text).toContain('directions that W itself barely emphasises');
    expect(text).toContain('6.91 / 0.32 = 21.6: ΔW is 21.6× as large');
    const inside = amplificationSentence({ ...a, projection: { deltaW: 20, w: 21.67, random: 0.02 }, factor: 0.35 });
    expect(inside).toContain('the directions W already emphasises most');
    expect(inside).toContain('ΔW is smaller than what W already has along them');
    expect(amplificationSentence({ ...a, r: 0 })).toMatch(/has not changed m \(ΔW = 0/);
  });

  it('compares r = 8 with the largest rank by default, else two seeds, else the first two names', () => {
    const ranks = [run('sweep-r1', 'rank', 1), run('sweep-r8', 'rank', 8), run('sweep-r64', 'rank', 64)];
    expect(defaultPair(['x'], ranks)).toEqual(['sweep-r8', 'sweep-r64']);
    const seeds = [run('s0', 'seed', 8), run('s1', 'seed', 8)];
    expect(defaultPair([], [ranks[1], ...seeds])).toEqual(['s0', 's1']);
    expect(defaultPair(['a', 'b'], [])).toEqual(['a', 'b']);
    expect(defaultPair([], [])).toEqual(['', '']);
    expect(sharedModules(['h.0', 'h.1', 'h.2'], ['h.2', 'h.0'])).toEqual(['h.0', 'h.2']);
  });
});
