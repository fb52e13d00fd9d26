import { formatNum, formatSci } from '../../../../engine/linalg/format';
import type { NumericalRank } from '../../../../engine/linalg/svd';
import { Tex } from '../../../components/Tex';
import { Term } from '../../../components/Term';

/** Singular values, the tolerance that decides which count as zero, and the resulting rank. */
export function RankReadout({ nr }: { nr: NumericalRank }) {
  return (
    <>
      <dl className="readout">
        <dt>
          <Term id="numericalRank" />
        </dt>
        <dd>
          <strong className="big-number" data-testid="rank-value">
            {nr.rank}
          </strong>
        </dd>
        <dt>singular values σ</dt>
        <dd className="mono">
          {nr.sigma.map((s, i) => (
            <span key={i} className={s > nr.tol ? undefined : 'note'}>
              {i > 0 ? ', ' : ''}
              {s > nr.tol ? formatNum(s, 6) : formatSci(s)}
            </span>
          ))}
        </dd>
        <dt>tolerance</dt>
        <dd className="mono" data-testid="rank-tol">
          max(m, n)·σ<sub>max</sub>·ε = {formatSci(nr.tol, 3)}
        </dd>
      </dl>
      <p className="note">
        The rank counts the singular values above the tolerance (as numpy’s <code>matrix_rank</code> does), with{' '}
        <Tex>{'\\varepsilon = 2^{-52}'}</Tex>: rounding in floating point leaves tiny non-zero σ where exact arithmetic
        has 0.
      </p>
    </>
  );
}
