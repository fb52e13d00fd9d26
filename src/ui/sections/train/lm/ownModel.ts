/**
 * The learner's own GPT-2 checkpoint, kept on the page (module level) once read, so the Base
 * model setting can switch between it and the shipped model without asking for the files again.
 */
import { useSyncExternalStore } from 'react';
import type { BaseFiles } from '../../../../engine/session/types';

let own: BaseFiles | null = null;
const listeners = new Set<() => void>();

export function setOwnModel(files: BaseFiles | null): void {
  own = files;
  for (const l of listeners) l();
}

export function ownModel(): BaseFiles | null {
  return own;
}

export function useOwnModel(): BaseFiles | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => own,
    () => own,
  );
}
