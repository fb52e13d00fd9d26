import { useCallback } from 'react';
import { formatMatrix, parseMatrix } from '../../engine/linalg/matrixText';
import type { Mat } from '../../engine/linalg/dense';
import { setParams, useHash } from '../urlState';

/**
 * A matrix kept in the URL as "a,b;c,d". A link with a matrix that cannot be read falls back to
 * `fallback` and returns a message saying why, so the page can show it instead of failing silently.
 */
export function useMatrixParam(name: string, fallback: Mat, maxSize = 8): [Mat, (m: Mat) => void, string | null] {
  const { params } = useHash();
  const raw = params.get(name);
  const parsed = raw === null ? null : parseMatrix(raw, maxSize);
  const fallbackText = formatMatrix(fallback);
  const set = useCallback(
    (m: Mat) => {
      const text = formatMatrix(m);
      setParams({ [name]: text === fallbackText ? null : text });
    },
    [name, fallbackText],
  );
  if (parsed && parsed.ok) return [parsed.value, set, null];
  return [
    fallback,
    set,
    parsed && !parsed.ok
      ? `The link’s matrix ${name} could not be read (${parsed.message}) The default is shown.`
      : null,
  ];
}
