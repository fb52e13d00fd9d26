/** tokens/s as the Train page prints it everywhere (panel, comparison table): a whole number. */
export const formatTokensPerSec = (v: number): string => Math.round(v).toLocaleString('en-US');

/** What the speed numbers mean, said once under the panel and the table. */
export const SPEED_NOTE =
  'tokens/s = batch × sequence length ÷ the median step time after warm-up (the first step, which compiles and allocates, is shown on its own).';
