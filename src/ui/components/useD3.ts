import { useEffect, useRef } from 'react';

/**
 * React owns the element; a viz renderer owns its children. Re-renders whenever `deps` change.
 * Usage: `const ref = useD3<SVGSVGElement>((el) => renderHeatmap(el, data, opts), [data]);`
 */
export function useD3<E extends Element>(render: (el: E) => void, deps: readonly unknown[]) {
  const ref = useRef<E>(null);
  useEffect(() => {
    if (ref.current) render(ref.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller lists what the drawing depends on
  }, deps);
  return ref;
}
