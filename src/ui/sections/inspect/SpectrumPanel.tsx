/** One module's singular values, with the rank cut r and the float32 noise floor. */
import { useId } from 'react';
import type { ModuleStats } from '../../../engine/inspect/moduleStats';
import { renderSpectrum } from '../../../viz/spectrumChart';
import { boolCodec, stringCodec, useParam } from '../../urlState';
import { useD3 } from '../../components/useD3';
import { num } from './format';

export function SpectrumPanel({ modules }: { modules: ModuleStats[] }) {
  const id = useId();
  const [chosen, setChosen] = useParam('module', '', stringCodec);
  const [log, setLog] = useParam('log', true, boolCodec);
  const m = modules.find((x) => x.name === chosen) ?? modules[0];
  const values = m?.singularValues ?? [];
  const ref = useD3<SVGSVGElement>(
    (el) => renderSpectrum(el, { values, r: m?.r ?? 0, floor: m?.noiseFloor ?? 0 }, { width: 560, height: 280, log }),
    [m, log],
  );
  if (!m) return null;
  return (
    <section className="panel" aria-labelledby="inspect-spectrum-title">
      <h2 id="inspect-spectrum-title">Spectrum of one module</h2>
      <div className="controls">
        <label htmlFor={id}>module</label>
        <select id={id} value={m.name} onChange={(e) => setChosen(e.target.value)}>
          {modules.map((x) => (
            <option key={x.name} value={x.name}>
              {x.name}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
          log scale
        </label>
      </div>
      {m.nonFinite > 0 ? (
        <p className="error">This module holds {m.nonFinite} NaN or infinite values: it has no spectrum.</p>
      ) : (
        <>
          <p data-testid="inspect-rank-statement">
            <strong>
              {m.numericalRank} of {values.length} singular values are above the float32 noise floor
            </strong>{' '}
            (r = {m.r}, ΔW is {m.dOut} × {m.dIn}
            {m.kernel ? `, a ${m.kernel.join('×')} convolution flattened` : ''}). ‖ΔW‖_F = {num(m.frobenius)}; stable
            rank ‖ΔW‖_F²/σ₁² = {num(m.stableRank)}; {m.energy90} direction{m.energy90 === 1 ? '' : 's'} carry 90 % of
            the energy and {m.energy99} carry 99 %.
          </p>
          <svg
            ref={ref}
            role="img"
            className="inspect-spectrum"
            aria-label={`Singular values of ΔW for ${m.name}, largest first: ${values
              .slice(0, 10)
              .map((v) => num(v))
              .join(', ')}; noise floor ${num(m.noiseFloor)}.`}
          />
        </>
      )}
    </section>
  );
}
