/**
 * One source of truth for where the user is and what they set: the URL hash,
 * `#/<route>?<param>=<value>&…`. Every view can be shared as a link and survives a reload.
 * Writes use replaceState (no history spam while dragging a slider).
 */
import { useCallback, useSyncExternalStore } from 'react';

export interface HashState {
  route: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): HashState {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const route = (q < 0 ? body : body.slice(0, q)).replace(/\/+$/, '');
  const params = new URLSearchParams(q < 0 ? '' : body.slice(q + 1));
  return { route, params };
}

export function formatHash(route: string, params: URLSearchParams): string {
  const qs = params.toString();
  return `#/${route}${qs ? `?${qs}` : ''}`;
}

const listeners = new Set<() => void>();
function notify() {
  for (const l of listeners) l();
}
function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('hashchange', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('hashchange', listener);
  };
}
const getHash = () => window.location.hash;

export function useHash(): HashState {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  return parseHash(hash);
}

/** Navigate to a route, optionally with params (pushes history so Back works). */
export function navigate(route: string, params?: Record<string, string>) {
  window.location.hash = formatHash(route, new URLSearchParams(params));
}

/** Replace some params of the current route, keeping the others. `null` deletes a param. */
export function setParams(patch: Record<string, string | null>) {
  const { route, params } = parseHash(window.location.hash);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) params.delete(k);
    else params.set(k, v);
  }
  window.history.replaceState(null, '', formatHash(route, params));
  notify();
}

export interface Codec<T> {
  parse(raw: string): T | undefined;
  format(value: T): string;
}

export const numberCodec = (min = -Infinity, max = Infinity): Codec<number> => ({
  parse: (raw) => {
    const v = Number(raw);
    return raw.trim() !== '' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : undefined;
  },
  format: (v) => String(v),
});
export const stringCodec: Codec<string> = { parse: (raw) => raw, format: (v) => v };
export const boolCodec: Codec<boolean> = {
  parse: (raw) => (raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : undefined),
  format: (v) => (v ? '1' : '0'),
};
export function enumCodec<T extends string>(values: readonly T[]): Codec<T> {
  return { parse: (raw) => ((values as readonly string[]).includes(raw) ? (raw as T) : undefined), format: (v) => v };
}

/**
 * A piece of state kept in the URL hash. Returns the value (or `fallback` when absent or
 * invalid) and a setter; setting the fallback removes the param to keep links short.
 */
export function useParam<T>(name: string, fallback: T, codec: Codec<T>): [T, (v: T) => void] {
  const { params } = useHash();
  const raw = params.get(name);
  const parsed = raw === null ? undefined : codec.parse(raw);
  const value = parsed === undefined ? fallback : parsed;
  const fallbackText = codec.format(fallback);
  const set = useCallback(
    (v: T) => {
      const text = codec.format(v);
      setParams({ [name]: text === fallbackText ? null : text });
    },
    [name, codec, fallbackText],
  );
  return [value, set];
}
