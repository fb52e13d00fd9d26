import { useMemo } from 'react';
import { factorAtRank } from '../../../engine/linalg/factorize';
import { formatMatrix } from '../../../engine/linalg/matrixText';
import { numericalRank, thinSvd } from '../../../engine/linalg/svd';
import { Slider } from '../../components/Slider';
import { MatrixEditor } from '../../components/MatrixEditor';
import { numberCodec, useParam } from '../../urlState';
import { CountCalculator } from './rank/CountCalculator';
import { FactorPanel } from './rank/FactorPanel';
import { useMatrixParam } from '../../components/matrixParam';
import { NamingCallout } from './rank/NamingCallout';
import { OuterProductsPanel } from './rank/OuterProductsPanel';
import { RankReadout } from './rank/RankReadout';
import '../../components/learn.css';
import './rank/rank.css';

/** The rank-1 worked example: [2 4 6; 3 6 9; 4 8 12] = [2;3;4]·[1 2 3]. */
export const SEED_W = [
  [2, 4, 6],
  [3, 6, 9],
  [4, 8, 12],
];

export default function Rank() {
  const [W, setW, linkError] = useMatrixParam('W', SEED_W, 6);
  const maxR = Math.min(W.length, W[0].length);
  const [rRaw, setR] = useParam('r', 1, numberCodec(1, 6));
  const r = Math.min(Math.round(rRaw), maxR);
  const svd = useMemo(() => thinSvd(W), [W]);
  const nr = useMemo(() => numericalRank(W, svd), [W, svd]);
  const f = useMemo(() => factorAtRank(W, r, svd), [W, r, svd]);

  return (
    <section aria-labelledby="section-title" className="learn-section">
      <h1 id="section-title">Rank and factorization</h1>
      <p className="lede">
        A matrix of rank r is a product of a tall m×r factor and a wide r×n factor. Store the two factors and you store
        r·(m+n) numbers instead of m·n. That is the “low rank” in LoRA.
      </p>
      {linkError && (
        <p className="error" role="alert">
          {linkError}
        </p>
      )}
      <NamingCallout />
      <div className="learn-grid rank-top">
        <div className="panel">
          <h2>Your matrix W</h2>
          <MatrixEditor
            name="W"
            value={W}
            onChange={setW}
            resize={{ minRows: 1, maxRows: 6, minCols: 1, maxCols: 6 }}
          />
          <RankReadout nr={nr} />
          <p>
            <a href={`#/learn/svd?preset=matrix&W=${encodeURIComponent(formatMatrix(W))}`}>See this matrix’s SVD →</a>
          </p>
        </div>
        <div className="panel" data-present="rank-factors">
          <h2>Factorization W ≈ B·A</h2>
          <div className="controls">
            <Slider label="rank r of the factors" value={r} min={1} max={maxR} onChange={setR} />
          </div>
          <FactorPanel W={W} f={f} r={r} />
        </div>
      </div>
      <OuterProductsPanel B={f.B} A={f.A} W={W} />
      <CountCalculator small={{ m: W.length, n: W[0].length, r }} />
    </section>
  );
}
