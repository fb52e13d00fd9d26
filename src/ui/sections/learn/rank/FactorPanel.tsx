import { formatInt, formatNum, formatSci } from '../../../../engine/linalg/format';
import type { RankFactorization } from '../../../../engine/linalg/factorize';
import type { Mat } from '../../../../engine/linalg/dense';
import { MatrixView } from '../../../components/MatrixView';
import { ScrollBox } from '../../../components/ScrollBox';
import { withTerms } from '../../../components/Term';

const METHOD: Record<RankFactorization['method'], string> = {
  cr: 'B holds the pivot columns of W; A holds the non-zero rows of W’s reduced row echelon form (the CR factorization).',
  'svd-exact': 'B = U_r·Σ_r and A = V_rᵀ from the SVD (elimination was too close to the tolerance to trust).',
  'svd-truncated':
    'No exact factorization of this size exists. This is the best one (the truncated SVD, next section).',
};

/** B, A and their product next to W, with the error and the stored-number count. */
export function FactorPanel({ W, f, r }: { W: Mat; f: RankFactorization; r: number }) {
  const m = W.length;
  const n = W[0].length;
  const exact = f.rank <= r;
  const highlight = new Set<string>();
  W.forEach((row, i) =>
    row.forEach(
      (v, j) => Math.abs(v - f.product[i][j]) > 1e-9 * Math.max(1, Math.abs(v)) && highlight.add(`${i},${j}`),
    ),
  );
  return (
    <>
      <ScrollBox className="mx-row" label="B times A equals the product">
        <MatrixView label="B" note="tall" values={f.B} options={{ cell: 50 }} />
        <span className="mx-op" aria-hidden="true">
          ·
        </span>
        <MatrixView label="A" note="wide" values={f.A} options={{ cell: 50 }} />
        <span className="mx-op" aria-hidden="true">
          =
        </span>
        <MatrixView label="B·A" values={f.product} options={{ cell: 50, highlight }} />
      </ScrollBox>
      <p className="note">{withTerms(METHOD[f.method], ['cr'])}</p>
      <dl className="readout">
        <dt>max |W − B·A|</dt>
        <dd className="mono" data-testid="factor-error">
          <span className={exact ? 'good' : 'bad'}>
            {f.maxError === 0 ? '0' : f.maxError < 1e-9 ? formatSci(f.maxError) : formatNum(f.maxError, 4)}
          </span>
          {exact ? ' (B·A reproduces W)' : ' (outlined cells are wrong)'}
        </dd>
        <dt>numbers stored</dt>
        <dd data-testid="stored-count">
          W: m·n = {formatInt(m * n)} · B and A: r·(m+n) = {formatInt(r * (m + n))}
        </dd>
      </dl>
      <div className={exact ? 'callout' : 'callout callout-warn'} role="status">
        <strong>A common claim: “no information is lost by decomposing.”</strong>{' '}
        {exact ? (
          <>
            True here, and only because rank(W) = {f.rank} ≤ r = {r}.{' '}
            {f.rank < Math.min(m, n)
              ? `Change one cell of W (say row ${m}, column ${n}) and the rank rises: then no ${m}×${r} times ${r}×${n} product can reproduce it.`
              : `W already has full rank ${f.rank}, so exact factors need r·(m+n) = ${r * (m + n)} numbers, ${r * (m + n) >= m * n ? 'no fewer than' : 'fewer than'} the ${m * n} of W itself.`}
          </>
        ) : (
          <>
            Not here: rank(W) = {f.rank} &gt; r = {r}, so the best {m}×{r} times {r}×{n} product misses W by up to{' '}
            {formatNum(f.maxError, 4)} (‖W − B·A‖<sub>F</sub> = {formatNum(f.froError, 4)}). Raise r to {f.rank} to make
            it exact. Real weight updates are only approximately low rank.
          </>
        )}
      </div>
    </>
  );
}
