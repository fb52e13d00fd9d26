/**
 * Seeded 2-D two-class datasets for the MLP lab: a base dataset to pretrain on and variants
 * (rotated, shifted, or a new shape) to fine-tune onto with LoRA. Points stay roughly inside
 * [−2, 2]² so one fixed heatmap window shows every dataset. Classes are exactly balanced.
 */
import { mixSeed, mulberry32, randomNormal, shuffled, type Random } from '../rng';

/** n points: x is [n, 2] row-major, y is [n] with labels 0 or 1. */
export interface TwoDData {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

export type TwoDShape = 'moons' | 'blobs' | 'xor' | 'circles';

export interface TwoDSpec {
  shape: TwoDShape;
  /** Rotation about the origin, in degrees, counter-clockwise (applied before the shift). */
  rotateDeg?: number;
  /** Translation applied last. */
  shift?: [number, number];
  /** Standard deviation of Gaussian noise added to every point. Default 0.1. */
  noise?: number;
}

export interface TwoDDatasetInfo {
  id: string;
  label: string;
  spec: TwoDSpec;
}

/** The base (pretraining) dataset first, then the fine-tuning targets. */
export const TWO_D_DATASETS: TwoDDatasetInfo[] = [
  { id: 'moons', label: 'Two moons (base)', spec: { shape: 'moons' } },
  { id: 'moons-rotated', label: 'Two moons, rotated 60°', spec: { shape: 'moons', rotateDeg: 60 } },
  { id: 'moons-shifted', label: 'Two moons, shifted', spec: { shape: 'moons', shift: [0.6, -0.4] } },
  { id: 'xor', label: 'XOR quadrants', spec: { shape: 'xor' } },
  { id: 'circles', label: 'Circle in a ring', spec: { shape: 'circles' } },
  { id: 'blobs', label: 'Two blobs', spec: { shape: 'blobs' } },
];

/** Looks a dataset up by id; throws a RangeError listing the known ids. */
export function twoDDatasetInfo(id: string): TwoDDatasetInfo {
  const info = TWO_D_DATASETS.find((d) => d.id === id);
  if (!info) throw new RangeError(`Unknown 2-D dataset "${id}"; known: ${TWO_D_DATASETS.map((d) => d.id).join(', ')}.`);
  return info;
}

/**
 * n points (n even: n/2 per class) of a shape, rotated, shifted and noised, in shuffled order.
 * Same spec, n and seed ⇒ the same numbers.
 */
export function generateTwoD(spec: TwoDSpec, n: number, seed: number): TwoDData {
  if (!Number.isInteger(n) || n < 2 || n % 2 !== 0)
    throw new RangeError(`n must be an even whole number ≥ 2, got ${n}.`);
  const random = mulberry32(seed);
  const noise = spec.noise ?? 0.1;
  const points: [number, number, number][] = [];
  for (let label = 0; label < 2; label++) {
    for (let i = 0; i < n / 2; i++) {
      const [px, py] = SHAPES[spec.shape](label, random);
      points.push([px + noise * randomNormal(random), py + noise * randomNormal(random), label]);
    }
  }
  const theta = ((spec.rotateDeg ?? 0) * Math.PI) / 180;
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  const [dx, dy] = spec.shift ?? [0, 0];
  const order = shuffled(points, random);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  order.forEach(([px, py, label], i) => {
    x[2 * i] = cos * px - sin * py + dx;
    x[2 * i + 1] = sin * px + cos * py + dy;
    y[i] = label;
  });
  return { x, y, n };
}

/** Train and validation sets drawn independently (different seeds) from the same distribution. */
export function twoDSplits(
  spec: TwoDSpec,
  { nTrain, nValidation, seed }: { nTrain: number; nValidation: number; seed: number },
): { train: TwoDData; validation: TwoDData } {
  return {
    train: generateTwoD(spec, nTrain, mixSeed(seed, 1)),
    validation: generateTwoD(spec, nValidation, mixSeed(seed, 2)),
  };
}

/** One noiseless point of class `label`, centred near the origin. */
const SHAPES: Record<TwoDShape, (label: number, random: Random) => [number, number]> = {
  // scikit-learn's make_moons, centred: the upper moon is class 0, the lower one class 1.
  moons: (label, random) => {
    const t = Math.PI * random();
    return label === 0 ? [Math.cos(t) - 0.5, Math.sin(t) - 0.25] : [0.5 - Math.cos(t), 0.25 - Math.sin(t)];
  },
  blobs: (label, random) => {
    const c = label === 0 ? -0.8 : 0.8;
    return [c + 0.35 * randomNormal(random), c + 0.35 * randomNormal(random)];
  },
  // Class 0 in quadrants I and III, class 1 in II and IV; kept off the axes so the classes separate.
  xor: (label, random) => {
    const a = 0.15 + 1.15 * random();
    const b = 0.15 + 1.15 * random();
    const flip = random() < 0.5 ? 1 : -1;
    return label === 0 ? [flip * a, flip * b] : [flip * a, -flip * b];
  },
  circles: (label, random) => {
    const t = 2 * Math.PI * random();
    const radius = label === 0 ? 0.5 : 1.3;
    return [radius * Math.cos(t), radius * Math.sin(t)];
  },
};
