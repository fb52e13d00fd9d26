/**
 * Presenter mode: big type, secondary panels hidden, and a sequence of views (a route plus its
 * state) stepped through with the keys a presentation clicker sends. Mode and sequence live in
 * the page's query string (`?present&seq=…`), so an instructor shares a whole talk as a link.
 */
import { useSyncExternalStore } from 'react';

export interface Step {
  /** Hash route, e.g. "learn/svd". */
  route: string;
  /** The route's hash params, e.g. "k=2". */
  params: string;
  /** What the audience sees named in the presenter bar. */
  title: string;
}

/** The shipped talk: from rank to a training run, each step a view with its exact state. */
export const DEFAULT_SEQUENCE: Step[] = [
  { route: '', params: '', title: 'What LoRA is' },
  { route: 'learn/rank', params: '', title: 'A rank-1 matrix: 9 numbers stored as 6' },
  { route: 'learn/svd', params: 'preset=image&k=1', title: 'SVD of a picture: keep the top singular value' },
  { route: 'learn/svd', params: 'preset=image&k=5', title: 'SVD: rank 5' },
  { route: 'learn/svd', params: 'preset=image&k=20', title: 'SVD: rank 20, the error² is the dropped σ²' },
  { route: 'learn/merge', params: '', title: 'Merging W + s·B·A, a worked example' },
  { route: 'learn/init', params: '', title: 'Why B starts at zero' },
  { route: 'learn/params', params: '', title: 'Trainable parameters: PEFT’s line' },
  { route: 'learn/adam', params: '', title: 'What Adam keeps per parameter' },
  { route: 'learn/adapters', params: '', title: 'One base, many adapters' },
  { route: 'train', params: '', title: 'Train a LoRA adapter on this machine' },
  { route: 'paper', params: 'fig=paper-rank', title: 'The paper’s rank sweep on your task (Table 6)' },
  { route: 'paper', params: 'view=budget&fig=paper-budget', title: 'One budget, different weights (Table 5)' },
  {
    route: 'paper',
    params: 'view=subspace&fig=paper-subspace',
    title: 'Do r = 8 and r = 64 learn the same directions?',
  },
  { route: 'paper', params: 'view=amplify&fig=paper-amplify', title: 'Which directions of W does ΔW amplify?' },
];

/** Compact, URL-safe encoding of a sequence: steps joined by "~", fields by "!", each URI-encoded. */
export function encodeSequence(steps: Step[]): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/!/g, '%21').replace(/~/g, '%7E');
  return steps.map((s) => [s.route, s.params, s.title].map(enc).join('!')).join('~');
}

export function decodeSequence(text: string): Step[] | null {
  if (!text) return null;
  const steps: Step[] = [];
  for (const part of text.split('~')) {
    const fields = part.split('!');
    if (fields.length !== 3) return null;
    try {
      const [route, params, title] = fields.map(decodeURIComponent);
      if (!/^[a-z0-9/_-]*$/i.test(route)) return null;
      steps.push({ route, params, title });
    } catch {
      return null;
    }
  }
  return steps.length ? steps : null;
}

/** Which step a hash shows: the first step with the same route and params, else -1. */
export function stepIndexOf(steps: Step[], route: string, params: string): number {
  const norm = (p: string) => {
    const q = new URLSearchParams(p);
    q.sort();
    return q.toString();
  };
  return steps.findIndex((s) => s.route === route && norm(s.params) === norm(params));
}

export interface PresenterState {
  on: boolean;
  steps: Step[];
  custom: boolean;
}

function read(): PresenterState {
  const q = new URLSearchParams(window.location.search);
  const custom = decodeSequence(q.get('seq') ?? '');
  return { on: q.has('present'), steps: custom ?? DEFAULT_SEQUENCE, custom: custom !== null };
}

let cached: PresenterState | null = null;
let cachedSearch = '';
const listeners = new Set<() => void>();
function snapshot(): PresenterState {
  if (!cached || cachedSearch !== window.location.search) {
    cached = read();
    cachedSearch = window.location.search;
  }
  return cached;
}
function subscribe(l: () => void) {
  listeners.add(l);
  window.addEventListener('popstate', l);
  return () => {
    listeners.delete(l);
    window.removeEventListener('popstate', l);
  };
}

export function usePresenter(): PresenterState {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

function writeSearch(mutate: (q: URLSearchParams) => void) {
  const q = new URLSearchParams(window.location.search);
  mutate(q);
  const search = q.toString().replace(/(^|&)present=(?=&|$)/, '$1present');
  window.history.replaceState(
    null,
    '',
    `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`,
  );
  for (const l of listeners) l();
}

export function setPresenting(on: boolean) {
  writeSearch((q) => (on ? q.set('present', '') : q.delete('present')));
}

export function setSequence(steps: Step[] | null) {
  writeSearch((q) => (steps && steps.length ? q.set('seq', encodeSequence(steps)) : q.delete('seq')));
}

export function goToStep(step: Step) {
  window.location.hash = `#/${step.route}${step.params ? `?${step.params}` : ''}`;
}
