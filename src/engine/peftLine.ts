/**
 * PEFT's `print_trainable_parameters()` line, character for character:
 * `trainable params: {:,d} || all params: {:,d} || trainable%: {:.4f}`.
 * "all params" includes the adapter's parameters; tied embeddings count once.
 */
export function formatPeftLine(trainable: number, all: number): string {
  const pct = all === 0 ? 0 : (100 * trainable) / all;
  return `trainable params: ${withCommas(trainable)} || all params: ${withCommas(all)} || trainable%: ${pct.toFixed(4)}`;
}

/** Python's `{:,d}`: thousands separated by commas, independent of the user's locale. */
export function withCommas(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
