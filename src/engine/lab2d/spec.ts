/**
 * The 2-D lab's fixed choices and user settings: the base MLP, the dataset it was pretrained on,
 * the targets it is fine-tuned onto, and the four runs drawn side by side (LoRA r = 1, 2, 4 and
 * full fine-tuning). Plain data only, shared by the pretrain script, the lab and the UI.
 */
import type { TwoDSpec } from '../data/twoD';
import type { MlpConfig } from '../mlp/model';
import { UserFacingError } from '../types';

/** 2 → 32 → 32 → 2 with tanh: small enough to train in a frame, wide enough to bend a boundary. */
export const BASE_CONFIG: MlpConfig = { sizes: [2, 32, 32, 2], activation: 'tanh' };

/** What the shipped base model was pretrained on (twoD's make_moons, noise 0.1). */
export const BASE_DATASET: TwoDSpec = { shape: 'moons' };

/** Square window of the heatmap, [−EXTENT, EXTENT]² (every dataset stays inside after a shift). */
export const EXTENT = 2.5;

/** Points per fine-tuning set: every step uses the whole training set (a fixed batch shape). */
export const N_TRAIN = 256;
export const N_VALIDATION = 400;

/**
 * α is held at 4 for every rank, so s = α/r = 4, 2, 1: the paper's advice (fix α, do not tune it
 * per r) and what keeps a rank-1 update large enough to move the boundary within a few hundred steps.
 */
export const LORA_ALPHA = 4;

export const TARGET_IDS = ['moons', 'shifted', 'xor', 'circles'] as const;
export type TargetId = (typeof TARGET_IDS)[number];

/** The fine-tuning targets; every one is additionally rotated by θ. */
export const TARGETS: Record<TargetId, { label: string; spec: TwoDSpec }> = {
  moons: { label: 'two moons', spec: { shape: 'moons' } },
  shifted: { label: 'two moons, shifted by (0.6, −0.4)', spec: { shape: 'moons', shift: [0.6, -0.4] } },
  xor: { label: 'XOR quadrants', spec: { shape: 'xor' } },
  circles: { label: 'circle in a ring', spec: { shape: 'circles' } },
};

/** The four fine-tuning runs, in panel order. */
export const RUNS = [
  { id: 'r1', mode: 'lora', r: 1, label: 'LoRA r = 1' },
  { id: 'r2', mode: 'lora', r: 2, label: 'LoRA r = 2' },
  { id: 'r4', mode: 'lora', r: 4, label: 'LoRA r = 4' },
  { id: 'full', mode: 'full', r: 0, label: 'Full fine-tuning' },
] as const;
export type RunId = (typeof RUNS)[number]['id'];

/** Everything the user sets (and the URL keeps). */
export interface LabSettings {
  target: TargetId;
  /** Rotation of the target data about the origin, degrees counter-clockwise. */
  thetaDeg: number;
  /** Adam(W) learning rate, constant. */
  learningRate: number;
  /** Steps each run takes before Play stops. */
  totalSteps: number;
  /** Seeds the data and the adapters' A. */
  seed: number;
  /** Indices of the linear layers that get LoRA (layers.0 … layers.2). */
  loraLayers: number[];
}

export const DEFAULT_SETTINGS: LabSettings = {
  target: 'moons',
  thetaDeg: 60,
  learningRate: 0.003, // slow enough to watch r = 1 catch up with r = 4 and full fine-tuning
  totalSteps: 300,
  seed: 1,
  loraLayers: [0, 1, 2],
};

export const LIMITS = {
  thetaDeg: [-180, 180],
  learningRate: [0.0005, 0.1],
  totalSteps: [1, 5000],
  seed: [0, 1_000_000],
} as const;

/** Number of linear layers of the base MLP. */
export const LAYER_COUNT = BASE_CONFIG.sizes.length - 1;

/** The data spec of the target: the chosen shape, rotated by θ. */
export function targetSpec(target: TargetId, thetaDeg: number): TwoDSpec {
  return { ...TARGETS[target].spec, rotateDeg: thetaDeg };
}

/** Throws a UserFacingError naming the first setting that is out of range. */
export function checkSettings(s: LabSettings, layerCount = LAYER_COUNT): void {
  if (!TARGET_IDS.includes(s.target))
    throw new UserFacingError(`unknown target "${s.target}"; choose one of ${TARGET_IDS.join(', ')}`);
  const range = (name: keyof typeof LIMITS, v: number, what: string) => {
    const [lo, hi] = LIMITS[name];
    if (!Number.isFinite(v) || v < lo || v > hi)
      throw new UserFacingError(`${what} must be between ${lo} and ${hi}, got ${v}`);
  };
  range('thetaDeg', s.thetaDeg, 'θ');
  range('learningRate', s.learningRate, 'the learning rate');
  range('totalSteps', s.totalSteps, 'steps');
  range('seed', s.seed, 'the seed');
  if (!Number.isInteger(s.totalSteps)) throw new UserFacingError(`steps must be a whole number, got ${s.totalSteps}`);
  if (!Number.isInteger(s.seed)) throw new UserFacingError(`the seed must be a whole number, got ${s.seed}`);
  if (s.loraLayers.length === 0) throw new UserFacingError('choose at least one layer for LoRA');
  for (const l of s.loraLayers) {
    if (!Number.isInteger(l) || l < 0 || l >= layerCount)
      throw new UserFacingError(`layer ${l} does not exist; the MLP has layers 0 to ${layerCount - 1}`);
  }
}

/** LoRA parameters of rank r on the chosen layers: Σ r·(d_in + d_out). */
export function loraParamCount(
  r: number,
  layers: readonly number[],
  sizes: readonly number[] = BASE_CONFIG.sizes,
): number {
  return layers.reduce((n, l) => n + r * (sizes[l] + sizes[l + 1]), 0);
}
