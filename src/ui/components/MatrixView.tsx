import { renderMatrixGrid, type GridOptions } from '../../viz/matrixGrid';
import { useD3 } from './useD3';
import { formatNum } from '../../engine/linalg/format';
import type { Mat } from '../../engine/linalg/dense';
import './learn.css';

interface MatrixViewProps {
  /** Short name shown above the grid and used in the accessible name, e.g. "B·A". */
  label: string;
  values: Mat;
  /** Extra caption (e.g. the shape in words). */
  note?: string;
  options?: GridOptions;
}

/** Row-major text of a matrix for screen readers and tests: "[2 4 6; 3 6 9; 4 8 12]". */
export function matrixText(m: Mat): string {
  return `[${m.map((row) => row.map((v) => formatNum(v)).join(' ')).join('; ')}]`;
}

/** A small matrix with its values printed in coloured cells (viz/matrixGrid), labelled for everyone. */
export function MatrixView({ label, values, note, options }: MatrixViewProps) {
  const opts: GridOptions = { format: (v) => formatNum(v, 6), ...options };
  const ref = useD3<SVGSVGElement>((el) => renderMatrixGrid(el, { values }, opts), [values, options]);
  const rows = values.length;
  const cols = rows ? values[0].length : 0;
  return (
    <figure className="mx-view">
      <figcaption>
        <span className="mx-label">{label}</span>{' '}
        <span className="mx-shape">
          {rows}×{cols}
        </span>
        {note && <span className="mx-note"> {note}</span>}
      </figcaption>
      <svg ref={ref} role="img" aria-label={`${label} = ${matrixText(values)}`} />
    </figure>
  );
}
