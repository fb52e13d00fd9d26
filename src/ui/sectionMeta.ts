/**
 * Every section of the app as plain data: its route, its place in the navigation, its title and
 * summary. No components here, so pages, the navigation and presenter mode can all read it
 * without importing the pages (routes.ts adds the components).
 */
export type NavGroup = 'Start' | 'Learn' | 'Train' | 'Ship';

export interface SectionMeta {
  route: string;
  title: string;
  group: NavGroup;
  /** One sentence: what the learner will do here. Shown on the home page and as a subtitle. */
  summary: string;
}

export const SECTIONS = [
  {
    route: '',
    title: 'Overview',
    group: 'Start',
    summary: 'What LoRA is, what this app does, and where to start.',
  },
  {
    route: 'start',
    title: 'Start here',
    group: 'Start',
    summary: 'A guided path in nine short steps, from rank to a downloaded adapter, with a question at each.',
  },
  {
    route: 'learn/rank',
    title: 'Rank',
    group: 'Learn',
    summary: 'Rank and factorization: a 3×3 matrix stored as 6 numbers instead of 9, and what that buys at 4096×4096.',
  },
  {
    route: 'learn/svd',
    title: 'SVD',
    group: 'Learn',
    summary: 'Singular value decomposition and the best rank-k approximation, with the error you pay for it.',
  },
  {
    route: 'learn/merge',
    title: 'Merge',
    group: 'Learn',
    summary: 'Merging W₀ + s·B·A: the same output as the unmerged layer, with no extra latency.',
  },
  {
    route: 'learn/init',
    title: 'Init & scaling',
    group: 'Learn',
    summary: 'Why B starts at zero and A does not, and why the update is scaled by α/r.',
  },
  {
    route: 'learn/params',
    title: 'Parameters',
    group: 'Learn',
    summary: 'Trainable parameters and memory for real models, with PEFT’s exact print-out.',
  },
  {
    route: 'learn/adam',
    title: 'Adam',
    group: 'Learn',
    summary: 'What Adam keeps for every trained number, and why that is where LoRA saves most memory.',
  },
  {
    route: 'learn/adapters',
    title: 'Adapters at inference',
    group: 'Learn',
    summary: 'One base model, many swappable adapters: what is loaded once and what is swapped.',
  },
  {
    route: 'train',
    title: 'Train',
    group: 'Train',
    summary: 'Fine-tune a small language model with LoRA on your own GPU and watch ΔW take shape.',
  },
  {
    route: 'train/classifier',
    title: '2-D lab',
    group: 'Train',
    summary:
      'LoRA on a small classifier: watch the decision boundary move as r = 1, 2, 4 and full fine-tuning adapt to new data.',
  },
  {
    route: 'paper',
    title: 'Paper lab',
    group: 'Train',
    summary:
      'The LoRA paper’s analyses on your own runs: a rank sweep, a fixed budget over different weights, subspace similarity and amplification.',
  },
  {
    route: 'adapters',
    title: 'Adapters',
    group: 'Ship',
    summary: 'Export and import PEFT adapters, swap them over one base, merge, unmerge and mix.',
  },
  {
    route: 'inspect',
    title: 'Inspect',
    group: 'Ship',
    summary:
      'Drop any LoRA adapter (PEFT, MLX, GGUF, kohya) and see its format, base, spectra and problems; convert or shrink it.',
  },
] as const satisfies readonly SectionMeta[];

/** Every route the app has, e.g. "learn/rank". */
export type SectionRoute = (typeof SECTIONS)[number]['route'];

export function findSection(route: string): SectionMeta | undefined {
  return SECTIONS.find((s) => s.route === route);
}
