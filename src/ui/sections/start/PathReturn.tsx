import { useHash } from '../../urlState';
import { PATH } from './pathSteps';

/** On a page opened from a "Start here" step (`?path=n`), the way back to that step. */
export function PathReturn() {
  const { route, params } = useHash();
  const n = Number(params.get('path'));
  if (route === 'start' || !Number.isInteger(n) || n < 1 || n > PATH.length) return null;
  return (
    <p className="path-return">
      <a href={`#/start?step=${n}`}>
        ← Back to step {n} of Start here: {PATH[n - 1].title}
      </a>
    </p>
  );
}
