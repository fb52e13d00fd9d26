import { formatNum, formatSci } from '../../../../engine/linalg/format';
import { mergedForward, unmergedForward } from '../../../../engine/linalg/merge';
import type { Mat } from '../../../../engine/linalg/dense';
import { MatrixEditor } from '../../../components/MatrixEditor';
import { Tex } from '../../../components/Tex';
import { MatrixView } from '../../../components/MatrixView';
import { ScrollBox } from '../../../components/ScrollBox';

interface Props {
  W0: Mat;
  B: Mat;
  A: Mat;
  s: number;
  x: Mat;
  setX: (x: Mat) => void;
}

/** The same input through both paths: unmerged (two small products added) and merged (one). */
export function ForwardCheck({ W0, B, A, s, x, setX }: Props) {
  const xv = x.map((row) => row[0]);
  const yU = unmergedForward(W0, B, A, s, xv);
  const yM = mergedForward(W0, B, A, s, xv);
  const diff = Math.max(0, ...yU.map((v, i) => Math.abs(v - yM[i])));
  const col = (v: number[]) => v.map((e) => [e]);
  return (
    <div className="panel">
      <h2>Same output, merged or not</h2>
      <p>
        <Tex>{'W_0 x + s\\cdot B(Ax) = (W_0 + s\\cdot BA)\\,x'}</Tex> for every input x: matrix products distribute over
        sums. Edit x and watch both sides move together.
      </p>
      <ScrollBox className="mx-row" label="Both forward paths">
        <MatrixEditor name="x" value={x} onChange={setX} caption="input x" />
        <MatrixView label="unmerged: W₀x + s·B(Ax)" values={col(yU)} options={{ cell: 64, fontSize: 15 }} />
        <MatrixView label="merged: (W₀ + s·BA)x" values={col(yM)} options={{ cell: 64, fontSize: 15 }} />
      </ScrollBox>
      <p data-testid="forward-diff">
        Largest difference between the two: <strong className="mono">{diff === 0 ? '0' : formatSci(diff)}</strong>
        {diff === 0
          ? ' (identical to the last bit)'
          : ` (floating-point rounding, ${formatNum(diff / Math.max(...yM.map(Math.abs), 1e-300), 2)} of the output’s size)`}
      </p>
    </div>
  );
}
