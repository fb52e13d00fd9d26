/** Every adapted module: shapes as stored, r, α, the scaling applied, and what ΔW's spectrum says. */
import { useState } from 'react';
import type { ModuleStats } from '../../../engine/inspect/moduleStats';
import { num } from './format';

const FIRST = 40;

export function ModuleTable({ modules }: { modules: ModuleStats[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? modules : modules.slice(0, FIRST);
  return (
    <section className="panel" aria-labelledby="inspect-table-title">
      <h2 id="inspect-table-title">Modules</h2>
      <div className="inspect-table-wrap" tabIndex={0} role="region" aria-label="table of modules (scrolls)">
        <table className="numbers inspect-table">
          <caption className="sr-only">Every adapted module of the adapter</caption>
          <thead>
            <tr>
              <th scope="col">module</th>
              <th scope="col">stored A, B</th>
              <th scope="col">ΔW</th>
              <th scope="col">r</th>
              <th scope="col">α</th>
              <th scope="col">scaling s</th>
              <th scope="col">‖ΔW‖_F</th>
              <th scope="col">σ₁</th>
              <th scope="col">above floor</th>
              <th scope="col">stable rank</th>
              <th scope="col">eff. rank</th>
              <th scope="col">90 %</th>
              <th scope="col">99 %</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((m) => (
              <tr key={m.name}>
                <td className="mono">{m.name}</td>
                <td className="mono">
                  [{m.stored.a.shape.join(', ')}] [{m.stored.b.shape.join(', ')}] {m.stored.a.dtype}
                </td>
                <td>
                  {m.dOut} × {m.dIn}
                </td>
                <td>{m.r}</td>
                <td>{num(m.alpha)}</td>
                <td>
                  {num(m.scaling)} <span className="soft">({m.scalingRule})</span>
                </td>
                <td>{num(m.frobenius)}</td>
                <td>{m.singularValues.length ? num(m.singularValues[0]) : '–'}</td>
                <td>{m.numericalRank}</td>
                <td>{num(m.stableRank)}</td>
                <td>{num(m.effectiveRank)}</td>
                <td>{m.energy90}</td>
                <td>{m.energy99}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {modules.length > FIRST && (
        <button type="button" onClick={() => setAll(!all)}>
          {all ? `Show the first ${FIRST}` : `Show all ${modules.length} modules`}
        </button>
      )}
      <p className="soft">
        Above floor: singular values above 10·max(d)·σ₁·ε_f32, the numerical rank (at most r). Stable rank ‖ΔW‖_F²/σ₁²
        and effective rank (exp of the entropy of σᵢ/Σσ) are smooth counts of the directions in use; 90 % / 99 %: how
        many singular values carry that share of ‖ΔW‖_F².
      </p>
    </section>
  );
}
