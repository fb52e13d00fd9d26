import { useId, useState, type CSSProperties } from 'react';
import { formatNum } from '../../engine/linalg/format';
import { parseNumber } from '../../engine/linalg/matrixText';
import type { Mat } from '../../engine/linalg/dense';

interface MatrixEditorProps {
  /** The matrix's name, used in every accessible name ("W row 2, column 3"). */
  name: string;
  value: Mat;
  onChange: (value: Mat) => void;
  /** Allow adding/removing rows and columns within these bounds (omit for a fixed shape). */
  resize?: { minRows: number; maxRows: number; minCols: number; maxCols: number };
  /** Optional caption shown above the grid (defaults to the name). */
  caption?: string;
}

// Cells are as wide as the longest entry of their column (monospace, so 1ch is one character).
const MIN_CELL_CHARS = 4;
const cellStyle: CSSProperties = {
  textAlign: 'right',
  fontFamily: 'var(--mono)',
  fontSize: '1rem',
  padding: '0.25rem 0.35rem',
};
const bracket: CSSProperties = {
  borderLeft: '2px solid currentColor',
  borderRight: '2px solid currentColor',
  borderRadius: '6px',
  padding: '0.3rem 0.4rem',
  display: 'inline-grid',
  gap: '0.3rem',
};

/**
 * An editable matrix: one text box per entry. Text that is not a number stays in its box with a
 * message saying which cell is wrong; only valid matrices reach `onChange`.
 */
export function MatrixEditor({ name, value, onChange, resize, caption }: MatrixEditorProps) {
  const id = useId();
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const rows = value.length;
  const cols = rows ? value[0].length : 0;
  const bad = Object.entries(drafts).filter(([, t]) => parseNumber(t) === undefined);
  const textAt = (i: number, j: number) => drafts[`${i},${j}`] ?? formatNum(value[i][j]);
  const colChars = Array.from({ length: cols }, (_, j) =>
    value.reduce((w, _row, i) => Math.max(w, textAt(i, j).length), MIN_CELL_CHARS),
  );

  function edit(i: number, j: number, text: string) {
    setDrafts((d) => ({ ...d, [`${i},${j}`]: text }));
    const v = parseNumber(text);
    if (v !== undefined) onChange(value.map((row, p) => row.map((x, q) => (p === i && q === j ? v : x))));
  }
  function settle(i: number, j: number) {
    const key = `${i},${j}`;
    // Keep bad text visible (with its message); drop good text so the box shows the formatted value.
    setDrafts((d) => {
      if (d[key] === undefined || parseNumber(d[key]) === undefined) return d;
      const rest = { ...d };
      delete rest[key];
      return rest;
    });
  }
  function reshape(newRows: number, newCols: number) {
    setDrafts({});
    onChange(Array.from({ length: newRows }, (_, i) => Array.from({ length: newCols }, (_, j) => value[i]?.[j] ?? 0)));
  }

  return (
    <div role="group" aria-labelledby={`${id}-cap`} className="matrix-editor">
      <div id={`${id}-cap`} style={{ fontWeight: 600, marginBottom: '0.3rem' }}>
        {caption ?? name}{' '}
        <span style={{ color: 'var(--fg-soft)', fontWeight: 400 }}>
          ({rows}×{cols})
        </span>
      </div>
      <div style={{ ...bracket, gridTemplateColumns: `repeat(${cols}, auto)` }}>
        {value.map((row, i) =>
          row.map((_v, j) => {
            const key = `${i},${j}`;
            const text = textAt(i, j);
            const invalid = parseNumber(text) === undefined;
            return (
              <input
                key={key}
                type="text"
                inputMode="decimal"
                aria-label={`${name} row ${i + 1}, column ${j + 1}`}
                aria-invalid={invalid || undefined}
                aria-describedby={invalid ? `${id}-err` : undefined}
                value={text}
                style={{
                  ...cellStyle,
                  width: `calc(${colChars[j] + 1}ch + 0.7rem)`,
                  borderColor: invalid ? 'var(--error)' : undefined,
                }}
                onChange={(e) => edit(i, j, e.target.value)}
                onBlur={() => settle(i, j)}
              />
            );
          }),
        )}
      </div>
      {resize && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.4rem', marginTop: '0.5rem' }}>
          <button
            type="button"
            disabled={rows >= resize.maxRows}
            onClick={() => reshape(rows + 1, cols)}
            aria-label={`Add a row to ${name}`}
          >
            + row
          </button>
          <button
            type="button"
            disabled={rows <= resize.minRows}
            onClick={() => reshape(rows - 1, cols)}
            aria-label={`Remove the last row of ${name}`}
          >
            − row
          </button>
          <button
            type="button"
            disabled={cols >= resize.maxCols}
            onClick={() => reshape(rows, cols + 1)}
            aria-label={`Add a column to ${name}`}
          >
            + column
          </button>
          <button
            type="button"
            disabled={cols <= resize.minCols}
            onClick={() => reshape(rows, cols - 1)}
            aria-label={`Remove the last column of ${name}`}
          >
            − column
          </button>
        </div>
      )}
      <div id={`${id}-err`} aria-live="polite" className="error" style={{ minHeight: bad.length ? undefined : 0 }}>
        {bad.map(([key, t]) => {
          const [i, j] = key.split(',').map(Number);
          return (
            <div key={key}>
              {name} row {i + 1}, column {j + 1}: “{t}” is not a number{t.trim() === '' ? ' (the box is empty)' : ''}.
              The last valid value, {formatNum(value[i]?.[j] ?? 0)}, is used.
            </div>
          );
        })}
      </div>
    </div>
  );
}
