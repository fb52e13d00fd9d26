/**
 * SGD, SGD with momentum and Adam in plain TypeScript (float64), with every intermediate of
 * Adam exposed so the page can show m, v and the bias correction step by step.
 *
 * Adam (Kingma & Ba 2015), per parameter θ with gradient g at step t = 1, 2, …:
 *   m ← β1·m + (1−β1)·g          v ← β2·v + (1−β2)·g²
 *   m̂ = m / (1−β1^t)            v̂ = v / (1−β2^t)
 *   θ ← θ − lr · m̂ / (√v̂ + ε)
 * m and v start at 0, so without the correction the first steps would be far too small.
 */
import type { Surface } from './surfaces';

export type OptimizerKind = 'sgd' | 'momentum' | 'adam';
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'momentum', 'adam'];

export interface Hyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Momentum μ for SGD with momentum (PyTorch form: b ← μ·b + g; θ ← θ − lr·b). */
  momentum: number;
}

export const DEFAULT_HYPER: Hyper = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, momentum: 0.9 };

/** Adam's state for n parameters. */
export interface AdamState {
  t: number;
  m: number[];
  v: number[];
}

/** Everything one Adam step computed, per parameter. */
export interface AdamDetail {
  t: number;
  g: number[];
  m: number[];
  v: number[];
  mHat: number[];
  vHat: number[];
  /** The change applied to θ: −lr·m̂/(√v̂+ε). */
  step: number[];
}

export function adamInit(n: number): AdamState {
  return { t: 0, m: new Array(n).fill(0), v: new Array(n).fill(0) };
}

/** One Adam update; returns the new parameters and state (inputs are not mutated) and the detail. */
export function adamStep(theta: readonly number[], g: readonly number[], s: AdamState, h: Hyper) {
  const t = s.t + 1;
  const m = s.m.map((mi, i) => h.beta1 * mi + (1 - h.beta1) * g[i]);
  const v = s.v.map((vi, i) => h.beta2 * vi + (1 - h.beta2) * g[i] * g[i]);
  const mHat = m.map((mi) => mi / (1 - h.beta1 ** t));
  const vHat = v.map((vi) => vi / (1 - h.beta2 ** t));
  const step = mHat.map((mh, i) => (-h.lr * mh) / (Math.sqrt(vHat[i]) + h.eps));
  const detail: AdamDetail = { t, g: [...g], m, v, mHat, vHat, step };
  return { theta: theta.map((th, i) => th + step[i]), state: { t, m, v }, detail };
}

export interface PathResult {
  kind: OptimizerKind;
  /** Visited points, start first. */
  points: [number, number][];
  /** f at each point. */
  values: number[];
  /** Adam only: the detail of every step. */
  adam?: AdamDetail[];
  /** True when the iterate left the finite range (too large a learning rate). */
  diverged: boolean;
}

const BLOW_UP = 1e6;

/** Run `steps` updates of one optimiser on a surface from `start`. */
export function runPath(
  surface: Surface,
  start: [number, number],
  kind: OptimizerKind,
  h: Hyper,
  steps: number,
): PathResult {
  let theta: number[] = [...start];
  const points: [number, number][] = [[theta[0], theta[1]]];
  const values = [surface.f(theta[0], theta[1])];
  const adam: AdamDetail[] = [];
  let state = adamInit(2);
  let buf = [0, 0];
  let diverged = false;
  for (let k = 0; k < steps; k++) {
    const g = surface.grad(theta[0], theta[1]);
    if (kind === 'sgd') theta = theta.map((th, i) => th - h.lr * g[i]);
    else if (kind === 'momentum') {
      buf = buf.map((b, i) => h.momentum * b + g[i]);
      theta = theta.map((th, i) => th - h.lr * buf[i]);
    } else {
      const r = adamStep(theta, g, state, h);
      theta = r.theta;
      state = r.state;
      adam.push(r.detail);
    }
    const fv = surface.f(theta[0], theta[1]);
    if (!Number.isFinite(fv) || Math.abs(theta[0]) > BLOW_UP || Math.abs(theta[1]) > BLOW_UP) {
      diverged = true;
      break;
    }
    points.push([theta[0], theta[1]]);
    values.push(fv);
  }
  return { kind, points, values, adam: kind === 'adam' ? adam : undefined, diverged };
}
