/**
 * Colour scales shared by the matrix renderers. Diverging orange–white–purple (PuOr) is readable
 * with the common colour-vision deficiencies; zero is white, so sign and size read at a glance.
 */
import * as d3 from 'd3';

export type Scheme = 'diverging' | 'gray';

/** A colour for every value in `domain` ([lo, hi]; diverging scales are centred on 0 by the caller). */
export function colorScale(scheme: Scheme, domain: [number, number]): (v: number) => string {
  const [lo, hi] = domain[0] === domain[1] ? [domain[0] - 1, domain[1] + 1] : domain;
  const t = d3.scaleLinear().domain([lo, hi]).range([0, 1]).clamp(true);
  // PuOr runs orange (0) → white → purple (1); gray runs black (low) → white (high), like a photo.
  return scheme === 'gray' ? (v) => d3.interpolateGreys(1 - t(v)) : (v) => d3.interpolatePuOr(t(v));
}

/** Symmetric domain [−M, M] for a diverging scale, M = the largest |value| (1 if all are 0). */
export function symmetricDomain(values: number[][]): [number, number] {
  let m = 0;
  for (const row of values) for (const v of row) m = Math.max(m, Math.abs(v));
  return m === 0 ? [-1, 1] : [-m, m];
}

/** Black or white text, whichever reads better on `background`. */
export function textOn(background: string): string {
  return d3.lab(background).l > 58 ? '#111' : '#fff';
}
