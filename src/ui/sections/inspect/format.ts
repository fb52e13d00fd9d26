/** Number formatting for the Inspect page (bytes in binary units, like the rest of the app's UI). */

/** 1536 → "1.5 KiB". */
export function bytesBinary(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** Four significant digits without trailing zeros; exponent form for very large or small values. */
export function num(v: number | null): string {
  if (v === null) return '–';
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** Seconds with two decimals: 1234 ms → "1.23 s". */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
