/**
 * An analysis asked of the training Worker (φ, amplification, an adapter's modules), re-asked
 * whenever its inputs change; an answer that arrives after newer inputs is dropped.
 */
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../engine/types';
import { lmWorker, type LmRemote } from '../../lm/lmClient';

export interface Query<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/** `ask` runs when `key` changes (null: nothing to ask yet). */
export function useWorkerQuery<T>(key: string | null, ask: (api: LmRemote) => Promise<T>): Query<T> {
  const [state, setState] = useState<Query<T> & { key: string | null }>({
    data: null,
    error: null,
    loading: false,
    key: null,
  });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true, key }));
    lmWorker()
      .then(ask)
      .then(
        (data) => live && setState({ data, error: null, loading: false, key }),
        (e: unknown) => live && setState({ data: null, error: errorMessage(e), loading: false, key }),
      );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` names everything `ask` reads
  }, [key]);
  return key === null ? { data: null, error: null, loading: false } : state;
}
