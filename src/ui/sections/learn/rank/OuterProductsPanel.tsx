import { useEffect, useState } from 'react';
import { formatNum } from '../../../../engine/linalg/format';
import type { Mat } from '../../../../engine/linalg/dense';
import { renderOuterProducts } from '../../../../viz/outerProducts';
import { Tex } from '../../../components/Tex';
import { useD3 } from '../../../components/useD3';
import { numberCodec, useParam } from '../../../urlState';
import { useReducedMotion } from './useReducedMotion';
import { ScrollBox } from '../../../components/ScrollBox';

const STEP_MS = 1400;

/** B·A built up one outer product b_i·a_iᵀ at a time; the step is in the URL (`term`). */
export function OuterProductsPanel({ B, A, W }: { B: Mat; A: Mat; W: Mat }) {
  const r = A.length;
  const [termRaw, setTerm] = useParam('term', r, numberCodec(0, 6));
  const term = Math.min(Math.round(termRaw), r);
  const [playing, setPlaying] = useState(false);
  const reduced = useReducedMotion();
  const fmt = (v: number) => formatNum(v, 4);
  const ref = useD3<SVGSVGElement>(
    (el) =>
      renderOuterProducts(
        el,
        { B, A, step: term, target: W },
        { format: fmt, transitionMs: reduced ? 0 : 450, cell: 46 },
      ),
    [B, A, W, term, reduced],
  );

  useEffect(() => {
    if (!playing) return;
    if (term >= r) {
      setPlaying(false);
      return;
    }
    const id = window.setTimeout(() => setTerm(term + 1), STEP_MS);
    return () => window.clearTimeout(id);
  }, [playing, term, r, setTerm]);

  function play() {
    if (reduced) {
      // Reduced motion: no timed animation; show the finished sum at once.
      setTerm(r);
      return;
    }
    setTerm(0);
    setPlaying(true);
  }

  return (
    <div className="panel">
      <h2>A product is a sum of outer products</h2>
      <p>
        <Tex>{'B\\cdot A = \\sum_{i=1}^{r} b_i\\,a_i^{\\top}'}</Tex>: column i of B times row i of A. Each term is a
        rank-1 matrix; r of them make a matrix of rank at most r.
      </p>
      <div className="controls">
        <button type="button" className="primary" onClick={playing ? () => setPlaying(false) : play}>
          {playing ? 'Pause' : 'Play: add the terms one by one'}
        </button>
        <button type="button" onClick={() => setTerm(Math.max(0, term - 1))} disabled={term <= 0 || playing}>
          Previous term
        </button>
        <button type="button" onClick={() => setTerm(Math.min(r, term + 1))} disabled={term >= r || playing}>
          Next term
        </button>
        <span role="status" aria-live="polite">
          {term} of {r} term{r === 1 ? '' : 's'} added
        </span>
      </div>
      <ScrollBox label="Outer products figure">
        <svg
          ref={ref}
          role="img"
          aria-label={`Outer products: after ${term} of ${r} terms the sum ${term === r ? 'is B·A' : 'is still partial'}; W = [${W.map((row) => row.map((v) => formatNum(v)).join(' ')).join('; ')}]`}
        />
      </ScrollBox>
      {reduced && (
        <p className="note">Your system asks for reduced motion, so Play shows the finished sum without animating.</p>
      )}
    </div>
  );
}
