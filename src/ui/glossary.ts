/**
 * The words a learner may not know yet, each explained in a sentence or two where it appears
 * (the <Term> component shows it on hover, focus or tap).
 */
export const GLOSSARY = {
  cr: {
    term: 'CR factorization',
    definition:
      'W = C·R, with C the pivot columns of W (found by Gaussian elimination) and R the non-zero rows of its reduced row echelon form. It shows rank(W) factors exactly, without any SVD.',
  },
  kaiming: {
    term: 'Kaiming-uniform',
    definition:
      'Random numbers drawn uniformly from ±bound, with the bound set by the layer’s input size (for LoRA’s A in PEFT: ±1/√d_in), so that outputs start at a sensible scale however wide the layer is.',
  },
  pissa: {
    term: 'PiSSA',
    definition:
      'Principal Singular values and Singular vectors Adaptation: A and B start from the top r singular directions of W, and W keeps the rest, so the model is unchanged at step 0 but trains its most important directions.',
  },
  nats: {
    term: 'nats',
    definition:
      'The unit of a loss computed with the natural logarithm: −ln p of the right next token. 1 nat = 1.44 bits; a loss of ln 97 ≈ 4.57 nats is blind guessing among 97 characters.',
  },
  fanInFanOut: {
    term: 'fan_in_fan_out',
    definition:
      'A PEFT setting that says the base layer stores its weight as [d_in, d_out] (GPT-2’s Conv1D) instead of [d_out, d_in] (nn.Linear), so PEFT transposes ΔW before adding it. The LoRA tensors themselves stay lora_A [r, d_in] and lora_B [d_out, r].',
  },
  rslora: {
    term: 'rsLoRA',
    definition:
      'Rank-stabilized LoRA: the update is scaled by α/√r instead of α/r, so raising r does not shrink the update (PEFT: use_rslora=True).',
  },
  frobenius: {
    term: 'Frobenius norm',
    definition:
      'The square root of the sum of all squared entries of a matrix, ‖M‖_F; it equals the square root of the sum of its squared singular values.',
  },
  numericalRank: {
    term: 'numerical rank',
    definition:
      'How many singular values are above a small tolerance. In floating point an exactly rank-deficient matrix still has tiny non-zero σ from rounding; the tolerance decides which count as zero.',
  },
  tied: {
    term: 'tied embeddings',
    definition:
      'The token embedding matrix doubles as the output layer (LM head), so its numbers are stored and counted once.',
  },
  biasCorrection: {
    term: 'bias correction',
    definition:
      'Adam’s m and v start at zero, so their early averages are too small; dividing by 1 − βᵗ undoes that, and the first steps have the intended size.',
  },
  peft: {
    term: 'PEFT',
    definition:
      'Parameter-Efficient Fine-Tuning, Hugging Face’s Python library for LoRA and similar methods; its adapter folders (adapter_config.json + adapter_model.safetensors) are what this app exports.',
  },
  safetensors: {
    term: 'safetensors',
    definition:
      'A file format for tensors: a JSON header with each tensor’s name, dtype and shape, then the raw numbers. Unlike pickle it cannot run code when loaded.',
  },
} as const satisfies Record<string, { term: string; definition: string }>;

export type TermId = keyof typeof GLOSSARY;
