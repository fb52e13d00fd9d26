import { useId, useMemo } from 'react';
import type { DeltaWView } from '../../../../engine/session/deltaW';
import { renderHeatLegend, renderHeatmap } from '../../../../viz/heatmap';
import { countAboveFloor, renderSpectrum, spectrumNoiseFloor } from '../../../../viz/spectrumChart';
import { useD3 } from '../../../components/useD3';
import { VIEW_SETTINGS } from './settings';

interface Props {
  /** Adapted module paths the select offers. */
  modules: string[];
  module: string;
  onModule: (m: string) => void;
  view: DeltaWView | null;
  log: boolean;
  onLog: (v: boolean) => void;
  /** True while a run streams ΔW of the module chosen at its start. */
  live: boolean;
}

/** Rows of a row-major [rows, cols] array, for the heatmap renderer. */
function rowsOf(data: Float32Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
}

export function Heatmap({ view }: { view: DeltaWView }) {
  const [rows, cols] = view.shape;
  const values = useMemo(() => rowsOf(view.data, rows, cols), [view.data, rows, cols]);
  let m = 0;
  for (const v of view.data) m = Math.max(m, Math.abs(v));
  const domain: [number, number] = m > 0 ? [-m, m] : [-1, 1];
  const canvas = useD3<HTMLCanvasElement>(
    (el) => renderHeatmap(el, values, { domain, scheme: 'diverging' }),
    [values, domain[0], domain[1]],
  );
  const legend = useD3<SVGSVGElement>(
    (el) => renderHeatLegend(el, { domain, scheme: 'diverging', width: 260, label: 'ΔW entry' }),
    [domain[0], domain[1]],
  );
  // One screen pixel block per entry, as large as fits ~26 rem wide or ~22 rem tall.
  const px = Math.max(0.5, Math.min(440 / cols, 360 / rows, 8));
  return (
    <figure className="train-dw-map">
      <figcaption>
        {view.kind === 'full' ? 'ΔW = W_full − W₀' : 'ΔW = s·B·A'}, {rows} × {cols} (d_out × d_in)
      </figcaption>
      <canvas
        ref={canvas}
        role="img"
        style={{ width: `${cols * px}px`, height: `${rows * px}px` }}
        aria-label={`Heatmap of ΔW for ${view.module}, ${rows} by ${cols}; largest absolute entry ${m.toExponential(2)}; Frobenius norm ${view.frobenius.toExponential(2)}. Orange is negative, purple positive, white zero.`}
      />
      <svg ref={legend} aria-hidden="true" />
    </figure>
  );
}

export function Spectrum({ view, log }: { view: DeltaWView; log: boolean }) {
  const floor = spectrumNoiseFloor(view.singularValues, ...view.shape);
  const ref = useD3<SVGSVGElement>(
    (el) => renderSpectrum(el, { values: view.singularValues, r: view.r, floor }, { width: 560, height: 300, log }),
    [view, floor, log],
  );
  const top = Array.from(view.singularValues.slice(0, Math.min(view.r + 2, 10)), (s) => s.toExponential(2)).join(', ');
  return (
    <figure className="train-dw-spectrum">
      <figcaption>Singular values of ΔW</figcaption>
      <svg
        ref={ref}
        role="img"
        className="train-spectrum-chart"
        aria-label={`Singular values of ΔW, largest first: ${top}…; noise floor ${floor.toExponential(2)}.`}
      />
    </figure>
  );
}

/** What LoRA learned in one module: ΔW as a heatmap and its spectrum, with the rank statement. */
export function DeltaWPanel({ modules, module, onModule, view, log, onLog, live }: Props) {
  const id = useId();
  const total = view ? view.singularValues.length : 0;
  const above = view ? countAboveFloor(view.singularValues, spectrumNoiseFloor(view.singularValues, ...view.shape)) : 0;
  return (
    <section className="panel train-panel" aria-labelledby="dw-title">
      <h2 id="dw-title">What LoRA learned</h2>
      <div className="controls">
        <span className="train-field">
          <label htmlFor={id}>{VIEW_SETTINGS.module.label}</label>
          <select id={id} value={module} onChange={(e) => onModule(e.target.value)} disabled={modules.length === 0}>
            {modules.length === 0 && <option value="">(no adapter yet)</option>}
            {modules.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </span>
        <label>
          <input type="checkbox" checked={log} onChange={(e) => onLog(e.target.checked)} />
          {VIEW_SETTINGS.log.label}
        </label>
        {live && <span className="train-hint">updates at every evaluation; choose another module after the run</span>}
      </div>
      {view ? (
        <>
          <p data-testid="rank-statement" data-above={view.numericalRank} data-r={view.r} data-total={total}>
            <strong>
              rank(ΔW) ≤ r = {view.r}: {view.numericalRank} of {total} singular values are above the noise floor.
            </strong>{' '}
            ΔW = B·A with B of {view.shape[0]} × {view.r} and A of {view.r} × {view.shape[1]}, so at most r of its
            singular values can be non-zero; the others are float32 rounding (scaling s = {view.scaling.toPrecision(3)},
            ‖ΔW‖_F = {view.frobenius.toExponential(2)}).
            {above !== view.numericalRank && ` (${above} counted here.)`}
          </p>
          <div className="train-dw">
            <Heatmap view={view} />
            <Spectrum view={view} log={log} />
          </div>
        </>
      ) : (
        <p>Train a LoRA adapter: ΔW of the chosen module appears here and updates at every evaluation.</p>
      )}
    </section>
  );
}
