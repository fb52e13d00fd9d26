/**
 * Seeded pseudo-random numbers for data: splits, shuffles, batches and generated tasks. Plain
 * TypeScript (no tfjs) so the same seed gives the same data in Node, a Worker and the page.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

export { mulberry32 } from '../rng';

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

/** A uniform integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** A standard normal sample (Box–Muller; 1 − u keeps log away from 0). */
export function randomNormal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
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
