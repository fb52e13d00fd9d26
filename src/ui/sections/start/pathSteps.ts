/**
 * The learner path: from "what is rank?" to "download your adapter", one thing to try and one
 * question per step. Answers are checked against facts in docs/lora-reference.md.
 */
import type { Milestone } from '../../storage/milestones';

export interface PathStep {
  id: string;
  title: string;
  /** Where the step happens. */
  href: string;
  /** The link's text, a phrase that reads on its own ("Try it on the Rank page"). */
  linkText: string;
  /** One thing to do there. */
  tryThis: string;
  question: string;
  choices: string[];
  /** Index into choices. */
  answer: number;
  /** A nudge after a first wrong answer; the answer itself comes on a second try or on request. */
  hint: string;
  /** Why the answer is right, shown once it is answered or revealed. */
  why: string;
  /** What the learner takes away, for the summary at the end. */
  learned: string;
  /** Something the learner must really do for the step to tick (the app sees it happen). */
  action?: { milestone: Milestone; todo: string };
}

export const PATH: PathStep[] = [
  {
    id: 'rank',
    title: 'What is rank?',
    href: '#/learn/rank',
    linkText: 'Try it on the Rank page',
    tryThis:
      'Change one number of the 3×3 matrix so that it is no longer rank 1, and watch the factorization stop reproducing it.',
    question: 'A 4096×4096 update of rank 8, stored as B·A, needs how many numbers?',
    choices: ['16,777,216', '65,536', '4,104'],
    answer: 1,
    why: 'r·(m + n) = 8 · (4096 + 4096) = 65,536, instead of 4096·4096 = 16,777,216.',
    hint: 'Count the numbers in B (4096 × 8) and in A (8 × 4096), then add them.',
    learned: 'A rank-r m×n matrix is a tall m×r factor times a wide r×n one: r·(m+n) numbers instead of m·n.',
  },
  {
    id: 'svd',
    title: 'Low-rank approximation',
    href: '#/learn/svd',
    linkText: 'Try it on the SVD page',
    tryThis: 'Pick the image preset and slide k down to 1, then up until the picture is recognisable.',
    question: 'Which rank-k matrix is closest to W in the Frobenius norm?',
    choices: [
      'The one from the top k singular values and vectors',
      'Any k rows of W',
      'W with all but k columns set to zero',
    ],
    answer: 0,
    why: 'Eckart–Young: truncating the SVD to the top k gives the best rank-k approximation; the error² is the sum of the dropped σ².',
    hint: 'Think of what the singular values measure: each one is the size of one rank-1 piece of W.',
    learned: 'Truncated SVD is the best rank-k approximation, and its squared error is the sum of the dropped σ².',
  },
  {
    id: 'merge',
    title: 'Merging an adapter',
    href: '#/learn/merge',
    linkText: 'Try it on the Merge page',
    tryThis: 'Change the input x and check that W₀·x + s·B·(A·x) and (W₀ + s·B·A)·x stay equal.',
    question: 'After merging W = W₀ + s·B·A, what does the adapter add to inference time?',
    choices: [
      'One extra matrix product per layer',
      'Nothing: the merged layer is an ordinary layer',
      'It depends on r',
    ],
    answer: 1,
    why: 'The merged weight has the same shape as W₀, so the forward pass costs exactly what the base costs.',
    hint: 'Look at the shape of W₀ + s·B·A compared with the shape of W₀.',
    learned: 'A merged adapter is an ordinary weight matrix of the original shape: no extra latency.',
  },
  {
    id: 'init',
    title: 'Why B starts at zero',
    href: '#/learn/init',
    linkText: 'Try it on the Init & scaling page',
    tryThis: 'Step the tiny layer once with the PEFT default init, then try “both zero”.',
    question: 'With B = 0 at step 0, which factor gets a non-zero gradient on the first step?',
    choices: ['A only', 'B only', 'Both'],
    answer: 1,
    why: 'The gradient of A is multiplied by B, which is zero; the gradient of B depends on A·x, which is not. So only B moves first.',
    hint: 'The gradient of one factor is multiplied by the other factor. Which one is zero at the start?',
    learned: 'B = 0 and A random: ΔW = 0 at step 0, only B moves on step 1, and the run starts from the base model.',
  },
  {
    id: 'params',
    title: 'Trainable parameters',
    href: '#/learn/params',
    linkText: 'Try it on the Parameters page',
    tryThis: 'Choose GPT-2 small, target c_attn, set r = 8 and read PEFT’s line.',
    question: 'GPT-2 small with r = 8 on c_attn trains how many parameters?',
    choices: ['294,912', '124,439,808', '2,457,600'],
    answer: 0,
    why: '12 layers × 8 × (768 + 2304) = 294,912: 0.2364 % of all 124,734,720 parameters.',
    hint: 'Each c_attn is 768 → 2304 and GPT-2 small has 12 of them: r·(d_in + d_out) per layer.',
    learned:
      'PEFT’s trainable count is Σ r·(d_in + d_out) over the adapted modules, a fraction of a percent of the model.',
  },
  {
    id: 'adam',
    title: 'What Adam keeps',
    href: '#/learn/adam',
    linkText: 'Try it on the Adam page',
    tryThis: 'Run Adam and SGD from the same start and compare their paths.',
    question: 'How many extra numbers does Adam store for each trained parameter?',
    choices: ['None', 'One', 'Two (running means of g and g²)'],
    answer: 2,
    why: 'Adam keeps m and v per trained parameter. Frozen weights need neither, which is where LoRA saves most memory.',
    hint: 'Look at the update rule: Adam keeps a running mean of g and one of g².',
    learned: 'Adam keeps m and v for every trained number, so freezing W₀ removes most of the optimizer state.',
  },
  {
    id: 'swap',
    title: 'One base, many adapters',
    href: '#/learn/adapters',
    linkText: 'Try it on the Adapters at inference page',
    tryThis: 'Swap between task adapters and watch the memory numbers.',
    question: 'Serving ten task adapters over one base model, what is loaded only once?',
    choices: ['The base weights', 'Each adapter', 'Nothing is shared'],
    answer: 0,
    why: 'The frozen base is shared; each adapter adds only r·(d_in + d_out) numbers per adapted layer.',
    hint: 'Which part of the model is frozen and the same for every task?',
    learned: 'One frozen base serves many tasks; each adapter adds only r·(d_in + d_out) numbers per layer.',
  },
  {
    id: 'train',
    title: 'Train a LoRA adapter',
    href: '#/train',
    linkText: 'Train one on the Train page',
    tryThis: 'Press “Start training” on the names task and watch the samples change style.',
    question: 'Why can the learned ΔW never have rank above r?',
    choices: ['Training stops it', 'ΔW = s·B·A, and B has only r columns', 'Because α is small'],
    answer: 1,
    why: 'A product through an r-dimensional middle has rank at most r; the spectrum on the Train page shows it.',
    hint: 'ΔW = s·B·A: look at how many columns B has.',
    learned: 'A real LoRA run: the loss falls, the samples change style, and rank(ΔW) stays at most r.',
    action: { milestone: 'trained', todo: 'finish a LoRA run on the Train page' },
  },
  {
    id: 'export',
    title: 'Download your adapter',
    href: '#/adapters',
    linkText: 'Download it from the Adapters page',
    tryThis: 'Export the adapter you trained as a PEFT zip.',
    question: 'Which file holds the LoRA weights that PEFT loads?',
    choices: ['adapter_config.json', 'adapter_model.safetensors', 'README.md'],
    answer: 1,
    why: 'The tensors base_model.model.<module>.lora_A.weight [r, d_in] and .lora_B.weight [d_out, r] are in adapter_model.safetensors.',
    hint: 'PEFT stores weights in one format and settings in another; which file is not JSON or Markdown?',
    learned: 'An adapter is a small safetensors file plus adapter_config.json, and PEFT loads it as it is.',
    action: { milestone: 'downloaded', todo: 'download your adapter from the Adapters page' },
  },
];
