import { describe, expect, it } from 'vitest';
import { adamInit, adamStep, DEFAULT_HYPER, runPath } from './optimizers';
import { sampleSurface, SURFACES } from './surfaces';

const h = { ...DEFAULT_HYPER, lr: 0.1 };

describe('Adam', () => {
  it('bias correction: at t = 1, m̂ = g and v̂ = g² exactly, so the step is ≈ lr in size', () => {
    const g = [0.003, -250];
    const { detail } = adamStep([0, 0], g, adamInit(2), h);
    expect(detail.m).toEqual([(1 - 0.9) * 0.003, (1 - 0.9) * -250]); // uncorrected: 10× too small
    expect(detail.mHat[0]).toBeCloseTo(0.003, 15);
    expect(detail.mHat[1]).toBeCloseTo(-250, 10);
    expect(detail.vHat[0]).toBeCloseTo(0.003 ** 2, 15);
    expect(detail.vHat[1]).toBeCloseTo(250 ** 2, 6);
    // whatever the gradient's scale, the first step is lr · sign(g)
    expect(detail.step[0]).toBeCloseTo(-0.1, 5);
    expect(detail.step[1]).toBeCloseTo(0.1, 9);
  });

  it('matches the textbook recursion over several steps', () => {
    let state = adamInit(1);
    let theta = [1];
    const gs = [0.5, -0.2, 0.8];
    let m = 0;
    let v = 0;
    gs.forEach((g, k) => {
      const t = k + 1;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      const expected = theta[0] - (h.lr * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + h.eps);
      const r = adamStep(theta, [g], state, h);
      expect(r.theta[0]).toBeCloseTo(expected, 14);
      expect(r.detail.t).toBe(t);
      theta = r.theta;
      state = r.state;
    });
  });

  it('zero gradient → zero step (what keeps LoRA’s A still on its first step)', () => {
    expect(adamStep([2], [0], adamInit(1), h).detail.step).toEqual([-0]);
  });
});

describe('paths', () => {
  it('every optimiser reaches the valley’s minimum; SGD beyond 2/λmax diverges', () => {
    const s = SURFACES.valley;
    for (const kind of ['sgd', 'momentum', 'adam'] as const) {
      const lr = kind === 'sgd' ? 0.09 : kind === 'momentum' ? 0.02 : 0.1;
      const p = runPath(s, s.defaultStart, kind, { ...h, lr }, 400);
      expect(p.diverged).toBe(false);
      expect(p.values.at(-1)!).toBeLessThan(1e-2);
    }
    // curvature across the valley is 20: plain SGD is stable only for lr < 2/20
    expect(runPath(s, s.defaultStart, 'sgd', { ...h, lr: 0.11 }, 400).diverged).toBe(true);
  });

  it('gradients agree with finite differences', () => {
    for (const s of Object.values(SURFACES)) {
      for (const [x, y] of [
        [0.3, -0.7],
        [-1.2, 1.9],
      ]) {
        const [gx, gy] = s.grad(x, y);
        const e = 1e-6;
        expect(gx).toBeCloseTo((s.f(x + e, y) - s.f(x - e, y)) / (2 * e), 4);
        expect(gy).toBeCloseTo((s.f(x, y + e) - s.f(x, y - e)) / (2 * e), 4);
      }
    }
  });

  it('Adam keeps one detail per step and the path starts at the start point', () => {
    const p = runPath(SURFACES.rosenbrock, [-1.5, 2.5], 'adam', h, 10);
    expect(p.points[0]).toEqual([-1.5, 2.5]);
    expect(p.points).toHaveLength(11);
    expect(p.adam).toHaveLength(10);
  });

  it('samples the grid row-major from the lower-left corner', () => {
    const s = SURFACES.rosenbrock;
    const g = sampleSurface(s, 5, 3);
    expect(g[0]).toBe(s.f(-2, -1));
    expect(g[4]).toBe(s.f(2, -1));
    expect(g[14]).toBe(s.f(2, 3));
  });
});
