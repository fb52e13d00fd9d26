/** Values the LLM-size sliders step through (index ↔ value), so a keyboard reaches 4096 in a few presses. */
export const SIZE_LADDER = [
  1, 2, 3, 4, 8, 16, 32, 64, 128, 256, 512, 768, 1024, 1536, 2048, 3072, 4096, 5120, 8192, 11008, 12288, 14336, 16384,
];
export const RANK_LADDER = [1, 2, 3, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/** Index of the ladder entry closest to `v`. */
export function ladderIndex(ladder: number[], v: number): number {
  let best = 0;
  ladder.forEach((x, i) => {
    if (Math.abs(x - v) < Math.abs(ladder[best] - v)) best = i;
  });
  return best;
}
