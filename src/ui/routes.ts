/**
 * Every section of the app: its route, its place in the navigation, and the component that
 * fills it (loaded lazily so the explainer's first paint stays small).
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export type NavGroup = 'Start' | 'Learn' | 'Train' | 'Ship';

export interface Section {
  route: string;
  title: string;
  group: NavGroup;
  /** One sentence: what the learner will do here. Shown on the home page and as a subtitle. */
  summary: string;
  component: LazyExoticComponent<ComponentType>;
}

export const SECTIONS: Section[] = [
  {
    route: '',
    title: 'Overview',
    group: 'Start',
    summary: 'What LoRA is, what this app does, and where to start.',
    component: lazy(() => import('./sections/Home')),
  },
  {
    route: 'start',
    title: 'Start here',
    group: 'Start',
    summary: 'A guided path in nine short steps, from rank to a downloaded adapter, with a question at each.',
    component: lazy(() => import('./sections/start/StartHere')),
  },
  {
    route: 'learn/rank',
    title: 'Rank',
    group: 'Learn',
    summary: 'Rank and factorization: a 3×3 matrix stored as 6 numbers instead of 9, and what that buys at 4096×4096.',
    component: lazy(() => import('./sections/learn/Rank')),
  },
  {
    route: 'learn/svd',
    title: 'SVD',
    group: 'Learn',
    summary: 'Singular value decomposition and the best rank-k approximation, with the error you pay for it.',
    component: lazy(() => import('./sections/learn/Svd')),
  },
  {
    route: 'learn/merge',
    title: 'Merge',
    group: 'Learn',
    summary: 'Merging W₀ + s·B·A: the same output as the unmerged layer, with no extra latency.',
    component: lazy(() => import('./sections/learn/Merge')),
  },
  {
    route: 'learn/init',
    title: 'Init & scaling',
    group: 'Learn',
    summary: 'Why B starts at zero and A does not, and why the update is scaled by α/r.',
    component: lazy(() => import('./sections/learn/Init')),
  },
  {
    route: 'learn/params',
    title: 'Parameters',
    group: 'Learn',
    summary: 'Trainable parameters and memory for real models, with PEFT’s exact print-out.',
    component: lazy(() => import('./sections/learn/Params')),
  },
  {
    route: 'learn/adam',
    title: 'Adam',
    group: 'Learn',
    summary: 'What Adam keeps for every trained number, and why that is where LoRA saves most memory.',
    component: lazy(() => import('./sections/learn/Adam')),
  },
  {
    route: 'learn/adapters',
    title: 'Adapters at inference',
    group: 'Learn',
    summary: 'One base model, many swappable adapters: what is loaded once and what is swapped.',
    component: lazy(() => import('./sections/learn/AdaptersAtInference')),
  },
  {
    route: 'train',
    title: 'Train',
    group: 'Train',
    summary: 'Fine-tune a small language model with LoRA on your own GPU and watch ΔW take shape.',
    component: lazy(() => import('./sections/train/TrainPage')),
  },
  {
    route: 'train/classifier',
    title: '2-D lab',
    group: 'Train',
    summary:
      'LoRA on a small classifier: watch the decision boundary move as r = 1, 2, 4 and full fine-tuning adapt to new data.',
    component: lazy(() => import('./sections/train/ClassifierLab')),
  },
  {
    route: 'adapters',
    title: 'Adapters',
    group: 'Ship',
    summary: 'Export and import PEFT adapters, swap them over one base, merge, unmerge and mix.',
    component: lazy(() => import('./sections/adapters/AdaptersPage')),
  },
  {
    route: 'inspect',
    title: 'Inspect',
    group: 'Ship',
    summary:
      'Drop any LoRA adapter (PEFT, MLX, GGUF, kohya) and see its format, base, spectra and problems; convert or shrink it.',
    component: lazy(() => import('./sections/inspect/InspectPage')),
  },
];

export function findSection(route: string): Section | undefined {
  return SECTIONS.find((s) => s.route === route);
}
