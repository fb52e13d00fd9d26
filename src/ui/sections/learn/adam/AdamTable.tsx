import type { AdamDetail } from '../../../../engine/learn/optimizers';
import { Term } from '../../../components/Term';

const f = (v: number) => (Math.abs(v) < 1e-4 && v !== 0 ? v.toExponential(2) : v.toPrecision(3));
/** x over y in one cell keeps the table narrow; the text still reads "(x, y)" for tests and copy. */
const pair = (a: number[]) => (
  <>
    ({f(a[0])},<br />
    {f(a[1])})
  </>
);

/** Adam's first steps, every intermediate shown: the bias correction is the m → m̂, v → v̂ columns. */
export function AdamTable({ steps, beta1, beta2 }: { steps: AdamDetail[]; beta1: number; beta2: number }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Adam’s first steps (scrollable)">
      <table className="numbers adam-table">
        <caption>Adam’s first steps (each cell: x above y)</caption>
        <thead>
          <tr>
            <th scope="col">t</th>
            <th scope="col">gradient g</th>
            <th scope="col">m</th>
            <th scope="col">1 − β₁ᵗ</th>
            <th scope="col">m̂ = m / (1 − β₁ᵗ)</th>
            <th scope="col">v</th>
            <th scope="col">v̂ = v / (1 − β₂ᵗ)</th>
            <th scope="col">step −lr·m̂/(√v̂ + ε)</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((d) => (
            <tr key={d.t}>
              <th scope="row">{d.t}</th>
              <td>{pair(d.g)}</td>
              <td>{pair(d.m)}</td>
              <td>{f(1 - beta1 ** d.t)}</td>
              <td data-testid={`mhat-${d.t}`}>{pair(d.mHat)}</td>
              <td>{pair(d.v)}</td>
              <td>{pair(d.vHat)}</td>
              <td data-testid={`step-${d.t}`}>{pair(d.step)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note">
        At t = 1, 1 − β₁ = {f(1 - beta1)} and 1 − β₂ = {f(1 - beta2)}: m and v start at zero, so without the{' '}
        <Term id="biasCorrection">correction</Term>
        the first steps would be {f(1 - beta1)}/√{f(1 - beta2)} ≈ {f((1 - beta1) / Math.sqrt(1 - beta2))}× the intended
        size. With it, m̂ = g and v̂ = g², and the first step is lr in size, whatever the gradient’s scale.
      </p>
    </div>
  );
}
