/**
 * Matrices for the SVD section: seeded low-rank-plus-noise matrices and a procedural grayscale
 * image. Pure math, no DOM, so the same preset gives the same numbers in Node and in the browser.
 */
import { matmul, type Mat } from './dense';
import { mulberry32, randomNormal } from '../rng';

/**
 * W [size, size] = U·Vᵀ/√rank + noise·N with U, V [size, rank] and N standard normal, all from
 * `seed`. Without noise the matrix has rank `rank`; noise spreads a floor under the other σ.
 */
export function lowRankPlusNoise(size: number, rank: number, noise: number, seed: number): Mat {
  const random = mulberry32(seed);
  const g = () => randomNormal(random);
  const U = Array.from({ length: size }, () => Array.from({ length: rank }, g));
  const Vt = Array.from({ length: rank }, () => Array.from({ length: size }, g));
  const W = rank > 0 ? matmul(U, Vt) : Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const k = 1 / Math.sqrt(Math.max(1, rank));
  return W.map((row) => row.map((v) => v * k + noise * g()));
}

/**
 * A size×size grayscale test picture with values in [0, 1]: a sky gradient, a sun, a house with a
 * window grid and a striped path. Straight edges are low rank; the disc and diagonals are not,
 * so the singular values fall off gradually, as they do for photos.
 */
export function proceduralImage(size = 64): Mat {
  const img: Mat = [];
  for (let i = 0; i < size; i++) {
    const row: number[] = [];
    const y = i / (size - 1);
    for (let j = 0; j < size; j++) {
      const x = j / (size - 1);
      let v = 0.85 - 0.45 * y; // sky: lighter at the top
      if (Math.hypot(x - 0.78, y - 0.2) < 0.12) v = 1; // sun
      if (y > 0.72) v = 0.35 + 0.1 * Math.sin(18 * x + 6 * y); // ground with a ripple
      const inHouse = x > 0.15 && x < 0.55 && y > 0.42 && y < 0.78;
      if (inHouse) {
        v = 0.55;
        const wx = (x - 0.2) / 0.3;
        const wy = (y - 0.48) / 0.14;
        if (wx > 0 && wx < 1 && wy > 0 && wy < 1 && Math.floor(wx * 4) % 2 === 0 && Math.floor(wy * 2) % 2 === 0)
          v = 0.95;
      }
      // Roof: a triangle above the house.
      if (y > 0.25 && y <= 0.42 && Math.abs(x - 0.35) < (y - 0.25) * 1.25) v = 0.15;
      // Path: diagonal stripes from the door to the corner.
      if (y > 0.78 && Math.abs(x - 0.35 - (y - 0.78) * 1.2) < 0.06) v = Math.floor((x + y) * 20) % 2 ? 0.8 : 0.65;
      row.push(Math.min(1, Math.max(0, v)));
    }
    img.push(row);
  }
  return img;
}
