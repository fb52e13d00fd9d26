import { fullCount, loraBreakEvenRank, loraCount } from '../../../../engine/linalg/counts';
import { formatInt, formatPercent } from '../../../../engine/linalg/format';
import { Slider } from '../../../components/Slider';
import { numberCodec, useParam } from '../../../urlState';
import { Tex } from '../../../components/Tex';
import { RANK_LADDER, SIZE_LADDER, ladderIndex } from './ladders';

/** m·n against r·(m+n) at any size up to LLM layers; the sentence is computed from the sliders. */
export function CountCalculator({ small }: { small: { m: number; n: number; r: number } }) {
  const [m, setM] = useParam('cm', 4096, numberCodec(1, 16384));
  const [n, setN] = useParam('cn', 4096, numberCodec(1, 16384));
  const [rr, setRr] = useParam('cr', 8, numberCodec(1, 1024));
  const mi = ladderIndex(SIZE_LADDER, m);
  const ni = ladderIndex(SIZE_LADDER, n);
  const ri = ladderIndex(RANK_LADDER, rr);
  const M = SIZE_LADDER[mi];
  const N = SIZE_LADDER[ni];
  const R = RANK_LADDER[ri];
  const full = fullCount(M, N);
  const lora = loraCount(M, N, R);
  const frac = lora / full;
  return (
    <div className="panel">
      <h2>At the size of a real layer</h2>
      <p>
        Full matrix: <Tex>{'m\\cdot n'}</Tex> numbers. Factors: <Tex>{'r\\cdot(m+n)'}</Tex>.{' '}
        <span data-testid="small-count-sentence">{smallMatrixSentence(small.m, small.n, small.r)}</span> A 4096×4096
        attention projection is a different story.
      </p>
      <div className="controls">
        <Slider
          label="rows m (d_out)"
          value={mi}
          min={0}
          max={SIZE_LADDER.length - 1}
          onChange={(i) => setM(SIZE_LADDER[i])}
          format={(i) => formatInt(SIZE_LADDER[i])}
        />
        <Slider
          label="columns n (d_in)"
          value={ni}
          min={0}
          max={SIZE_LADDER.length - 1}
          onChange={(i) => setN(SIZE_LADDER[i])}
          format={(i) => formatInt(SIZE_LADDER[i])}
        />
        <Slider
          label="adapter rank r"
          value={ri}
          min={0}
          max={RANK_LADDER.length - 1}
          onChange={(i) => setRr(RANK_LADDER[i])}
          format={(i) => formatInt(RANK_LADDER[i])}
        />
      </div>
      <p className="sentence" data-testid="count-sentence">
        With r = {formatInt(R)} this {formatInt(M)}×{formatInt(N)} layer trains <strong>{formatInt(lora)}</strong>{' '}
        numbers instead of <strong>{formatInt(full)}</strong>: <strong>{formatPercent(frac)}</strong>
        {frac >= 1 ? ', more than the matrix itself: r is too large to save anything here.' : '.'}
      </p>
      {R > Math.min(M, N) && (
        <p className="note">
          r = {R} exceeds min(m, n) = {Math.min(M, N)}: a matrix that small never has rank above {Math.min(M, N)}.
        </p>
      )}
    </div>
  );
}

/** What the factors of the matrix above cost against the matrix itself, at the chosen rank. */
function smallMatrixSentence(m: number, n: number, r: number): string {
  const full = fullCount(m, n);
  const factors = loraCount(m, n, r);
  const head = `Your ${m}×${n} matrix at r = ${r}: ${formatInt(full)} numbers against ${formatInt(factors)} in its factors`;
  if (factors < full) return `${head}, a small saving.`;
  const even = loraBreakEvenRank(m, n);
  return even > 0
    ? `${head}: the factors are ${factors === full ? 'no smaller than' : 'bigger than'} the matrix; at this size only r ≤ ${even} saves anything.`
    : `${head}: at this size no rank saves anything.`;
}
