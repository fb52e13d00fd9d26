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
  /** The `data-present` name of the figure this step is about; it is zoomed to fill the screen. */
  focus?: string;
  /** What the presenter may say here, shown on request (N). */
  notes?: string;
  /** A title card: this line is shown under the title on a card instead of a page. */
  card?: string;
}

/**
 * The figure each route shows in presenter mode when a step names none (a recorded sequence):
 * the element with this `data-present` name is zoomed to fill the screen above the bar.
 */
export const ROUTE_FIGURE: Readonly<Record<string, string>> = {
  'learn/rank': 'rank-factors',
  'learn/svd': 'svd-maps',
  'learn/merge': 'merge-result',
  'learn/init': 'init-factors',
  'learn/params': 'params-peft',
  'learn/adam': 'adam-surface',
  'learn/adapters': 'adapter-swap',
  train: 'train-run',
  'train/classifier': 'lab-boundaries',
};

/**
 * The figure a step zooms to: its own, else the view's `fig` param (a second figure on one page,
 * kept in recorded sequences too), else the route's; undefined for a whole page (the overview).
 */
export function figureOf(step: Step): string | undefined {
  if (step.card !== undefined) return 'title-card';
  return step.focus ?? new URLSearchParams(step.params).get('fig') ?? ROUTE_FIGURE[step.route];
}

/** The shipped talk: from rank to a training run, each step a figure with its exact state. */
export const DEFAULT_SEQUENCE: Step[] = [
  {
    route: '',
    params: 'card',
    title: 'LoRA: low-rank adaptation',
    card: 'Freeze W₀, train a small update ΔW = s·B·A, and see every step of it live in the browser.',
    notes:
      'Everything in this talk runs on this laptop: the matrices, the SVD, the gradients and the training run. Press → to begin.',
  },
  {
    route: 'learn/rank',
    params: '',
    title: 'A rank-1 matrix: 9 numbers stored as 6',
    focus: 'rank-factors',
    notes:
      'W is a tall 3×1 column times a wide 1×3 row. Storing the two factors takes r·(m+n) numbers instead of m·n; at 4096×4096 and r = 8 that is 0.39 %.',
  },
  {
    route: 'learn/svd',
    params: 'preset=image&k=1',
    title: 'SVD of a picture: keep the top singular value',
    focus: 'svd-maps',
    notes: 'One singular value and its two vectors: a rank-1 picture. The right image is what is still missing.',
  },
  {
    route: 'learn/svd',
    params: 'preset=image&k=5',
    title: 'SVD: rank 5',
    focus: 'svd-maps',
    notes: 'Five terms already carry most of the energy; the stored count k·(m+n) is still far below m·n.',
  },
  {
    route: 'learn/svd',
    params: 'preset=image&k=20',
    title: 'SVD: rank 20, the error² is the dropped σ²',
    focus: 'svd-spectrum',
    notes:
      'Eckart–Young: no rank-k matrix is closer, and the squared error equals the sum of the dropped σ². LoRA bets that a good update is nearly low rank like this.',
  },
  {
    route: 'learn/merge',
    params: '',
    title: 'Merging W₀ + s·B·A, a worked example',
    focus: 'merge-result',
    notes:
      'After training, s·B·A is added into W₀ once: the merged layer has the original shape, so inference costs exactly what the base costs.',
  },
  {
    route: 'learn/init',
    params: '',
    title: 'Why B starts at zero',
    focus: 'init-factors',
    notes:
      'Press Step: with B = 0 the gradient of A is exactly 0, so only B moves on step 1. ΔW = 0 at the start, so training begins from the base model itself.',
  },
  {
    route: 'learn/params',
    params: '',
    title: 'Trainable parameters: PEFT’s line',
    focus: 'params-peft',
    notes: 'The same line PEFT’s print_trainable_parameters() prints, computed from config.json alone.',
  },
  {
    route: 'learn/params',
    params: 'fig=params-memory',
    title: 'Memory to train: full fine-tuning vs LoRA',
    focus: 'params-memory',
    notes: 'Weights stay; gradients and Adam’s m and v shrink to the adapter’s size. That is most of the saving.',
  },
  {
    route: 'learn/adam',
    params: '',
    title: 'Adam, SGD and momentum on a narrow valley',
    focus: 'adam-surface',
    notes: 'Adam divides each coordinate’s step by its own √v̂, so it moves at about lr in every direction.',
  },
  {
    route: 'learn/adam',
    params: 'fig=adam-state',
    title: 'What Adam keeps per parameter',
    focus: 'adam-state',
    notes: 'Two extra fp32 numbers per trained parameter. Frozen weights need none, which is why LoRA saves so much.',
  },
  {
    route: 'learn/adapters',
    params: '',
    title: 'One base, many adapters',
    focus: 'adapter-swap',
    notes: 'The base is loaded once; swapping an adapter swaps a few hundred KiB. Tick “merge” to fold it in.',
  },
  {
    route: 'train',
    params: '',
    title: 'Train a LoRA adapter on this machine',
    focus: 'train-run',
    notes:
      'Press Start training: the loss falls within seconds, against the dashed line of the base model’s validation loss.',
  },
  {
    route: 'paper',
    params: 'fig=paper-rank',
    title: 'The paper’s rank sweep on your task (Table 6)',
    notes:
      'Each rank is a real run from the same start; the sentence under the table reads the outcome off these runs.',
  },
  {
    route: 'paper',
    params: 'view=budget&fig=paper-budget',
    title: 'One budget, different weights (Table 5)',
    notes:
      'The same number of trainable parameters spent on different weight matrices: which placement helps most here?',
  },
  {
    route: 'paper',
    params: 'view=subspace&fig=paper-subspace',
    title: 'Do r = 8 and r = 64 learn the same directions?',
    notes: 'φ near 1 means the top directions of one run lie in the span of the other’s; near 0, they are unrelated.',
  },
  {
    route: 'paper',
    params: 'view=amplify&fig=paper-amplify',
    title: 'Which directions of W does ΔW amplify?',
    notes:
      'The paper found that ΔW amplifies directions W has but does not emphasise; the factor under the chart says whether this run does.',
  },
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
