/**
 * The engine's one source of seeded randomness: mulberry32 uniforms, seed mixing, integers,
 * shuffles, gaussian draws (one Box–Muller transform) and the initialisers PyTorch/PEFT use.
 * Same seed ⇒ same numbers on every backend, because all random initial values are drawn on the
 * host and only then uploaded. Plain TypeScript (no tfjs): data, demos and models share it.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32 as a plain function: uniform numbers in [0, 1) from a 32-bit seed (no seed mixing,
 * so seeds map to streams exactly as in the many published copies of it).
 */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes several integers into one 32-bit seed, so (seed, step) or (seed, "purpose") pairs give
 * independent streams without one stream's numbers reappearing shifted in another.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/**
 * Box–Muller: from u ∈ (0, 1] and v ∈ [0, 1), the radius √(−2·ln u) and angle 2πv whose
 * r·cos θ and r·sin θ are two independent N(0, 1) draws. Callers multiply in their own order
 * (std·r·cos θ) so that every stream stays bit-identical to the one it always was.
 */
export function boxMuller(u: number, v: number): { r: number; theta: number } {
  return { r: Math.sqrt(-2 * Math.log(u)), theta: 2 * Math.PI * v };
}

/** A uniform integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** One standard normal draw (the cosine half of Box–Muller; 1 − u keeps log away from 0). */
export function randomNormal(random: Random): number {
  const { r, theta } = boxMuller(1 - random(), random());
  return r * Math.cos(theta);
}

/** n numbers from N(0, std²), both halves of each Box–Muller pair used. */
export function normalArray(random: Random, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const { r, theta } = boxMuller(1 - random(), random());
    out[i] = std * r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = std * r * Math.sin(theta);
  }
  return out;
}

/** n numbers uniform on [-bound, bound). */
export function uniformArray(random: Random, n: number, bound: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * random() - 1) * bound;
  return out;
}

/** Fisher–Yates shuffle of a copy; the input is left as it was. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return out;
}

/** A seeded generator with its seed mixed once, for model initialisation, dropout seeds and fuzzing. */
export class Rng {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    // Mix the seed once (splitmix32 finaliser) so seeds 0, 1, 2… start far apart.
    let z = (Math.floor(seed) >>> 0) + 0x9e3779b9;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.state = (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of randomness. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A fresh uint32, e.g. to seed a child generator or a tfjs dropout call. */
  nextSeed(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  /** Normal(mean, std) by Box–Muller (the sine half of each pair is kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const { r, theta } = boxMuller(u, this.next());
    this.spare = r * Math.sin(theta);
    return mean + std * r * Math.cos(theta);
  }

  /** n values ~ Normal(0, std). */
  normalArray(n: number, std: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal(0, std);
    return out;
  }

  /** n values ~ Uniform(-bound, bound). */
  uniformArray(n: number, bound: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform(-bound, bound);
    return out;
  }
}

/**
 * The bound of PyTorch's `kaiming_uniform_(w, a)` for a weight with `fanIn` inputs:
 * gain = √(2/(1+a²)), bound = √3·gain/√fanIn. With PEFT's a = √5 this is exactly 1/√fanIn.
 */
export function kaimingUniformBound(fanIn: number, a = Math.sqrt(5)): number {
  const gain = Math.sqrt(2 / (1 + a * a));
  return (Math.sqrt(3) * gain) / Math.sqrt(fanIn);
}

/** Fisher–Yates shuffle of 0..n-1, seeded. */
export function permutation(rng: Rng, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
