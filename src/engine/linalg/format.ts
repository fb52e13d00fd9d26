/**
 * Number formatting for the explainer. Binary floating point turns 2.1·2.2 into 4.620000000000001;
 * rounding to 10 significant digits and trimming shows 4.62, as a person would write it.
 */

/** Round to `digits` significant digits and drop trailing zeros; -0 prints as 0. */
export function formatNum(x: number, digits = 10): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '-∞';
  // Integers are exact in binary: print them whole (the 4096·4096 counts must not round).
  const v = Number.isInteger(x) && Math.abs(x) < 1e15 ? x : Number(x.toPrecision(digits));
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const text = abs >= 1e-4 && abs < 1e15 ? String(v) : v.toExponential().replace(/\.?0+e/, 'e');
  return text;
}

/** An integer with thousands separators: 16777216 → "16,777,216". */
export function formatInt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** A share as a percentage, with two significant digits below 10 % and one decimal above: "0.39 %", "66.7 %". */
export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  if (p === 0) return '0 %';
  if (Math.abs(p) >= 10) return `${p.toFixed(1).replace(/\.0$/, '')} %`;
  return `${Number(p.toPrecision(2))} %`;
}

/** A small error in scientific notation ("3.6e-15"), or "0" when it is exactly zero. */
export function formatSci(x: number, digits = 2): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return formatNum(x);
  return x.toExponential(digits - 1).replace('e+', 'e');
}
