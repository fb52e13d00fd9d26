/**
 * The one way the app, the engine's messages and the CLI print a number of bytes: binary units
 * (1 KiB = 1024 B), as memory is allocated and as tf.memory() counts it.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export const KiB = 1024;
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;

/** Index into UNITS of the largest unit that |bytes| holds at least once. */
function unitIndex(bytes: number): number {
  let i = 0;
  while (i < UNITS.length - 1 && Math.abs(bytes) >= 1024 ** (i + 1)) i++;
  return i;
}

/** The largest binary unit that |bytes| holds at least once: { size: 1024², name: 'MiB' } for 5 MiB; B below 1 KiB. */
export function binaryUnit(bytes: number): { size: number; name: string } {
  const i = unitIndex(bytes);
  return { size: 1024 ** i, name: UNITS[i] };
}

/**
 * Bytes in binary units with three significant digits: 512 → "512 B", 1_179_648 → "1.13 MiB",
 * 497_759_232 → "475 MiB". Below 1 KiB whole bytes print without decimals; a value that would
 * round to 1024 of a unit prints as 1.00 of the next one.
 * @param bytes a byte count (may be negative, e.g. a difference)
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  let i = unitIndex(bytes);
  let v = bytes / 1024 ** i;
  let digits = i === 0 ? 0 : Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  if (i < UNITS.length - 1 && Math.abs(Number(v.toFixed(digits))) >= 1024) {
    i++;
    v = bytes / 1024 ** i;
    digits = 2;
  }
  return `${v.toFixed(digits)} ${UNITS[i]}`;
}

/**
 * A size and the limit it broke, both as formatBytes prints them ("205 KiB", "200 KiB"); just over
 * the limit, where both would read the same, the exact byte counts instead, so a message still
 * shows why the size was refused.
 */
export function sizeAndLimit(bytes: number, limit: number): { size: string; limit: string } {
  const size = formatBytes(bytes);
  const max = formatBytes(limit);
  if (size !== max) return { size, limit: max };
  const exact = (b: number) => `${b.toLocaleString('en-US')} bytes`;
  return { size: exact(bytes), limit: exact(limit) };
}
