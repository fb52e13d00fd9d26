/** The heatmap's sample points: cell centres of a res×res grid over [−extent, extent]². */

/**
 * Points [res·res, 2] row-major, in image order: row 0 is the top (largest y), column 0 the left
 * (smallest x), so a renderer can paint probability i into pixel i directly.
 */
export function gridPoints(res: number, extent: number): Float32Array {
  if (!Number.isInteger(res) || res < 2) throw new RangeError(`grid resolution must be a whole number ≥ 2, got ${res}`);
  const out = new Float32Array(2 * res * res);
  const cell = (2 * extent) / res;
  for (let row = 0; row < res; row++) {
    const y = extent - (row + 0.5) * cell;
    for (let col = 0; col < res; col++) {
      const i = row * res + col;
      out[2 * i] = -extent + (col + 0.5) * cell;
      out[2 * i + 1] = y;
    }
  }
  return out;
}
