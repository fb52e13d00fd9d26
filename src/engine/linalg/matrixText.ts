/**
 * Matrices as short text, for URLs and for pasting: rows separated by ';', entries by ','
 * (e.g. "2,4,6;3,6,9;4,8,12"). Parsing never throws: bad input gets a message saying where.
 */
import { formatNum } from './format';
import type { Mat } from './dense';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Parse one number typed by a person ("2", "-0.5", "1e-3", " 4 "). */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** Parse "a,b;c,d" into a rectangular matrix with at most `maxSize` rows and columns. */
export function parseMatrix(text: string, maxSize = 8): Parsed<Mat> {
  const rows = text.split(';').map((r) => r.split(','));
  if (rows.length > maxSize || rows.some((r) => r.length > maxSize)) {
    return { ok: false, message: `At most ${maxSize}×${maxSize} entries.` };
  }
  const width = rows[0].length;
  const bad = rows.findIndex((r) => r.length !== width);
  if (bad >= 0) return { ok: false, message: `Row ${bad + 1} has ${rows[bad].length} entries, row 1 has ${width}.` };
  const out: Mat = [];
  for (let i = 0; i < rows.length; i++) {
    const row: number[] = [];
    for (let j = 0; j < width; j++) {
      const v = parseNumber(rows[i][j]);
      if (v === undefined)
        return { ok: false, message: `Row ${i + 1}, column ${j + 1}: “${rows[i][j].trim()}” is not a number.` };
      row.push(v);
    }
    out.push(row);
  }
  return { ok: true, value: out };
}

/** The inverse of parseMatrix (numbers rounded to 10 significant digits). */
export function formatMatrix(m: Mat): string {
  return m.map((row) => row.map((v) => formatNum(v)).join(',')).join(';');
}
