import { useMemo } from 'react';
import { matmul, scale, add } from '../../../engine/linalg/dense';
import { fullCount, loraBreakEvenRank, loraCount } from '../../../engine/linalg/counts';
import { formatInt, formatNum } from '../../../engine/linalg/format';
import { loraScaling } from '../../../engine/linalg/merge';
import { MatrixEditor } from '../../components/MatrixEditor';
import { Slider } from '../../components/Slider';
import { Tex } from '../../components/Tex';
import { boolCodec, numberCodec, useParam } from '../../urlState';
import { CostTable } from './merge/CostTable';
import { fit } from './merge/fit';
import { ForwardCheck } from './merge/ForwardCheck';
import { MatrixView } from '../../components/MatrixView';
import { useMatrixParam } from '../../components/matrixParam';
import '../../components/learn.css';
import { ScrollBox } from '../../components/ScrollBox';
import { Term } from '../../components/Term';

// The worked example's numbers: the tall factor is the paper's B, the wide one its A.
const SEED_W0 = [
  [2, 4, 6],
  [3, 6, 9],
  [4, 8, 12],
];
const SEED_B = [[2.1], [3.3], [4.8]];
const SEED_A = [[1.0, 2.2, 3.6]];
const DEFAULT_X = [[1], [-1], [2]];

export default function Merge() {
  const [W0, setW0, e1] = useMatrixParam('W0', SEED_W0, 6);
  const [Braw, setB, e2] = useMatrixParam('B', SEED_B, 6);
  const [Araw, setA, e3] = useMatrixParam('A', SEED_A, 6);
  const [xRaw, setX, e4] = useMatrixParam('x', DEFAULT_X, 6);
  const [alpha, setAlpha] = useParam('alpha', 1, numberCodec(0, 64));
  const [rslora, setRslora] = useParam('rslora', false, boolCodec);
  const dOut = W0.length;
  const dIn = W0[0].length;
  const r = Math.max(1, Math.min(Braw[0]?.length ?? 1, 6));
  // Keep every shape consistent with W0 and r whatever the link says.
  const B = useMemo(() => fit(Braw, dOut, r), [Braw, dOut, r]);
  const A = useMemo(() => fit(Araw, r, dIn), [Araw, r, dIn]);
  const x = useMemo(() => fit(xRaw, dIn, 1), [xRaw, dIn]);
  const s = loraScaling(alpha, r, rslora);
  const BA = useMemo(() => matmul(B, A), [B, A]);
  const sBA = useMemo(() => scale(BA, s), [BA, s]);
  const W = useMemo(() => add(W0, sBA), [W0, sBA]);
  const linkErrors = [e1, e2, e3, e4].filter(Boolean);

  function setR(newR: number) {
    // New columns of B and rows of A start at 0, so the product keeps its value; only s changes.
    setB(fit(B, dOut, newR));
    setA(fit(A, newR, dIn));
  }

  return (
    <section aria-labelledby="section-title" className="learn-section">
      <h1 id="section-title">Merge: W = W₀ + s·B·A</h1>
      <p className="lede">
        After training, fold the update into the frozen weights once: <Tex>{'W = W_0 + s\\cdot B A'}</Tex>. The merged
        layer is an ordinary matrix of the original size, so it costs nothing extra to run.
      </p>
      {linkErrors.map((e) => (
        <p key={e} className="error" role="alert">
          {e}
        </p>
      ))}
      <div className="learn-grid">
        <div className="panel">
          <h2>Frozen weights and the adapter</h2>
          <div className="mx-row">
            <MatrixEditor
              name="W0"
              caption="W₀ (frozen)"
              value={W0}
              onChange={setW0}
              resize={{ minRows: 1, maxRows: 6, minCols: 1, maxCols: 6 }}
            />
            <MatrixEditor name="B" caption="B (tall)" value={B} onChange={setB} />
            <MatrixEditor name="A" caption="A (wide)" value={A} onChange={setA} />
          </div>
          <p className="note">
            A common mix-up: some texts call the tall factor A and the wide one B. The paper and PEFT call the tall one
            B and the wide one A, and so does this page.
          </p>
        </div>
        <div className="panel">
          <h2>Scaling</h2>
          <div className="controls">
            <Slider label="rank r" value={r} min={1} max={Math.min(6, Math.max(dOut, dIn))} onChange={setR} />
            <Slider label="alpha α" value={alpha} min={0} max={32} step={0.5} onChange={setAlpha} />
            <label>
              <input type="checkbox" checked={rslora} onChange={(e) => setRslora(e.target.checked)} /> rsLoRA (s = α/√r)
            </label>
          </div>
          <p className="sentence" data-testid="scaling">
            <Tex>
              {rslora
                ? `s = \\alpha/\\sqrt{r} = ${formatNum(alpha)}/\\sqrt{${r}} = ${formatNum(s, 6)}`
                : `s = \\alpha/r = ${formatNum(alpha)}/${r} = ${formatNum(s, 6)}`}
            </Tex>
          </p>
          <p className="note" data-testid="scaling-note">
            {s === 1
              ? 'Here s = 1: B·A is added as it is.'
              : `Here s = ${formatNum(s, 6)}: B·A is scaled by ${formatNum(s, 6)} before it is added.`}{' '}
            PEFT’s default is s = α/r; <Term id="rslora" /> uses α/√r so that larger ranks are not damped as much.
          </p>
        </div>
      </div>
      <div className="panel present-shrink" data-present="merge-result">
        <h2>The merge</h2>
        <ScrollBox className="mx-row" label="The merge W0 + s·B·A">
          <MatrixView label="W₀" values={W0} />
          <span className="mx-op" aria-hidden="true">
            +
          </span>
          <span className="mono big-number">{formatNum(s, 6)} ·</span>
          <MatrixView label="B·A" values={BA} />
          <span className="mx-op" aria-hidden="true">
            =
          </span>
          <MatrixView label="W = W₀ + s·B·A" values={W} />
        </ScrollBox>
      </div>
      <ForwardCheck W0={W0} B={B} A={A} s={s} x={x} setX={setX} />
      <div className="panel">
        <h2>Merged or unmerged?</h2>
        <p>
          <strong>Merged</strong>: one matrix of the original size, so no extra memory and no extra latency.{' '}
          <strong>Unmerged</strong>: keep <Tex>{'W_0'}</Tex>, B and A apart and pay a little extra compute, but adapters
          can be swapped over one base (or unmerged by subtracting <Tex>{'s\\cdot BA'}</Tex> again, exact up to
          rounding).
        </p>
        <CostTable dOut={dOut} dIn={dIn} r={r} />
      </div>
      <div className="callout callout-warn side-note" data-testid="saving-callout">
        <strong>A common misconception: B·A is “computed on GPUs” and W “on CPUs”.</strong> Not so: everything runs on
        the same device, and the forward pass through the frozen <Tex>{'W_0'}</Tex> is still computed in full. LoRA
        saves memory because <Tex>{'W_0'}</Tex> needs no weight gradient and no optimizer state (Adam keeps two extra
        numbers for every trained one), and the saved adapter is{' '}
        {loraCount(dOut, dIn, r) < fullCount(dOut, dIn)
          ? `small: ${formatNum(loraCount(dOut, dIn, r))} numbers here instead of ${formatNum(fullCount(dOut, dIn))}.`
          : `usually small, but not at this size: r = ${r} stores ${formatNum(loraCount(dOut, dIn, r))} numbers, ${
              loraCount(dOut, dIn, r) === fullCount(dOut, dIn) ? 'as many as' : 'more than'
            } W’s ${formatNum(fullCount(dOut, dIn))}. ${
              loraBreakEvenRank(dOut, dIn) > 0
                ? `A ${dOut}×${dIn} layer saves only up to r = ${loraBreakEvenRank(dOut, dIn)}`
                : `No rank saves anything on a ${dOut}×${dIn} layer`
            }; a 4096×4096 layer at r = 8 stores ${formatInt(loraCount(4096, 4096, 8))} numbers instead of ${formatInt(fullCount(4096, 4096))}.`}
      </div>
    </section>
  );
}
