import { useMemo } from 'react';
import { maxAbs, sub, frobenius, shapeOf } from '../../../engine/linalg/dense';
import { formatInt, formatNum, formatPercent, formatSci } from '../../../engine/linalg/format';
import { eckartYoung, thinSvd, truncate } from '../../../engine/linalg/svd';
import { symmetricDomain } from '../../../viz/matrixColor';
import { Slider } from '../../components/Slider';
import { Tex } from '../../components/Tex';
import { boolCodec, numberCodec, useParam } from '../../urlState';
import { HeatmapFigure } from './svd/HeatmapFigure';
import { SigmaChart } from './svd/SigmaChart';
import { SourcePicker } from './svd/SourcePicker';
import { useSvdSource } from './svd/useSvdSource';
import '../../components/learn.css';
import './svd/svd.css';
import { Term } from '../../components/Term';

function range(W: number[][]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of W) for (const v of row) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return [lo, hi];
}

export default function Svd() {
  const src = useSvdSource();
  const [kRaw, setK] = useParam('k', 3, numberCodec(0, 96));
  const [log, setLog] = useParam('log', false, boolCodec);
  const W = src.W;
  const svd = useMemo(() => (W ? thinSvd(W) : null), [W]);
  const p = svd?.sigma.length ?? 0;
  const k = Math.max(0, Math.min(Math.round(kRaw), p));
  const Wk = useMemo(() => (svd ? truncate(svd, k) : null), [svd, k]);

  return (
    <section aria-labelledby="section-title" className="learn-section">
      <h1 id="section-title">SVD and low-rank approximation</h1>
      <p className="lede">
        Every matrix factors as <Tex>{'W = U\\Sigma V^{\\top}'}</Tex>. Keep the k largest singular values and you get
        the best rank-k approximation there is, with an error you can read off Σ.
      </p>
      <div className="callout side-note" aria-label="What U, Σ and V are">
        <strong>What the three factors are.</strong> U and V have orthonormal columns, and Σ is a diagonal matrix whose
        entries, the singular values <Tex>{'\\sigma_1 \\ge \\sigma_2 \\ge \\dots \\ge 0'}</Tex>, are non-negative and in
        decreasing order; keeping the top k (with the matching columns of U and V) gives the best rank-k approximation{' '}
        <Tex>{'W_k = U_k \\Sigma_k V_k^{\\top}'}</Tex>.
      </div>
      <div className="panel">
        <SourcePicker s={src.settings} onFile={src.onFile} fileError={src.fileError} fileName={src.fileName} />
        {src.linkError && (
          <p className="error" role="alert">
            {src.linkError}
          </p>
        )}
        {W && svd && Wk ? (
          <Body W={W} Wk={Wk} sigma={svd.sigma} k={k} setK={setK} log={log} setLog={setLog} isImage={src.isImage} />
        ) : (
          <p role="status">
            {src.settings.preset === 'weight'
              ? src.fileError
                ? 'No weight matrix to show.'
                : 'Loading the layer…'
              : 'Pick or drop an image above to decompose it.'}
          </p>
        )}
      </div>
      <div className="callout side-note">
        <strong>What this has to do with LoRA.</strong> LoRA does not decompose W: the pretrained <Tex>{'W_0'}</Tex>{' '}
        stays whole and frozen. It learns an update <Tex>{'\\Delta W = s\\cdot B A'}</Tex> with B of shape{' '}
        <Tex>{'d_{out}\\times r'}</Tex> and A of shape <Tex>{'r\\times d_{in}'}</Tex>, so{' '}
        <Tex>{'\\operatorname{rank}\\Delta W \\le r'}</Tex>: its SVD has at most r non-zero singular values. The bet is
        that a good update is nearly low rank, as these pictures are.
      </div>
    </section>
  );
}

interface BodyProps {
  W: number[][];
  Wk: number[][];
  sigma: number[];
  k: number;
  setK: (k: number) => void;
  log: boolean;
  setLog: (v: boolean) => void;
  isImage: boolean;
}

function Body({ W, Wk, sigma, k, setK, log, setLog, isImage }: BodyProps) {
  const [m, n] = shapeOf(W);
  const p = sigma.length;
  const E = useMemo(() => sub(W, Wk), [W, Wk]);
  const err = frobenius(E);
  const ey = eckartYoung(sigma, k);
  const errSq = err * err;
  const agree = Math.abs(errSq - ey.droppedSigmaSq) / Math.max(ey.droppedSigmaSq, 1e-300);
  // With k ≥ rank both sides are rounding noise (~1e-30): a ratio of two noises means nothing.
  const tiny = 1e-24 * ey.totalSigmaSq;
  const bothTiny = ey.droppedSigmaSq <= tiny && errSq <= tiny;
  const domain: [number, number] = isImage ? range(W) : symmetricDomain(W);
  const scheme = isImage ? 'gray' : 'diverging';
  const errDomain = symmetricDomain(E);
  const fmt = (v: number) => formatNum(v, 5);
  return (
    <>
      <div className="controls">
        <Slider label="rank k" value={k} min={0} max={p} onChange={setK} />
        <label>
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log scale for σ
        </label>
      </div>
      <div data-present="svd-maps" className="present-shrink">
        <div className="svd-maps">
          <HeatmapFigure
            title={`W (${m}×${n})`}
            values={W}
            domain={domain}
            scheme={scheme}
            description={`original matrix, rank up to ${p}`}
            legendLabel="value"
          />
          <HeatmapFigure
            title={`W_k, k = ${k}`}
            values={Wk}
            domain={domain}
            scheme={scheme}
            description={`rank-${k} reconstruction keeping ${formatPercent(ey.energyKept)} of the energy`}
            legendLabel="value (same scale)"
          />
          <HeatmapFigure
            title="W − W_k"
            values={E}
            domain={errDomain}
            scheme="diverging"
            description={`error, Frobenius norm ${fmt(err)}, max ${fmt(maxAbs(E))}`}
            legendLabel="error (own scale)"
          />
        </div>
        <div className="svd-eq">
          <div>
            error <Tex>{'\\lVert W - W_k \\rVert_F'}</Tex>
            <span className="big-number" data-testid="svd-error">
              {fmt(err)}
            </span>
          </div>
          <div>
            energy kept <Tex>{'\\sum_{i\\le k}\\sigma_i^2 / \\sum_i \\sigma_i^2'}</Tex>
            <span className="big-number" data-testid="svd-energy">
              {formatPercent(ey.energyKept)}
            </span>
          </div>
          <div>
            stored: <Tex>{'k(m+n)'}</Tex> vs <Tex>{'mn'}</Tex>
            <span className="big-number">
              {formatInt(k * (m + n))} vs {formatInt(m * n)}
            </span>
          </div>
        </div>
      </div>
      <div data-present="svd-spectrum">
        <h2>Eckart–Young</h2>
        <p>
          No matrix of rank k is closer to W than <Tex>{'W_k'}</Tex> (in the <Term id="frobenius" />
          ), and the squared error is exactly what was dropped:{' '}
          <Tex>{'\\lVert W - W_k\\rVert_F^2 = \\sum_{i>k}\\sigma_i^2'}</Tex>.
        </p>
        <div className="svd-eq">
          <div>
            <Tex>{'\\lVert W - W_k\\rVert_F^2'}</Tex> from the matrices
            <span className="big-number" data-testid="svd-err2">
              {fmt(errSq)}
            </span>
          </div>
          <div>
            <Tex>{'\\sum_{i>k}\\sigma_i^2'}</Tex> from the singular values
            <span className="big-number" data-testid="svd-dropped">
              {fmt(ey.droppedSigmaSq)}
            </span>
          </div>
          <div>
            relative difference
            <span className="big-number">{bothTiny ? 'both ≈ 0 (rounding)' : formatSci(agree)}</span>
          </div>
        </div>
        <h2>Singular values</h2>
        <SigmaChart sigma={sigma} k={k} log={log} />
      </div>
    </>
  );
}
