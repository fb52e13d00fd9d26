/**
 * Plain data that crosses the engine's public API (never a live tf.Tensor): a row-major
 * Float32Array with its shape.
 */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

/**
 * A language-model batch: ids [batch, seq] row-major; the loss predicts `target` at each position.
 * What the batcher makes and every model and trainer consumes.
 */
export interface TokenBatch {
  /** [batch·seq] token ids. */
  input: Int32Array;
  /** [batch·seq] next-token ids. */
  target: Int32Array;
  /** [batch·seq] 1 = count this position in the loss, 0 = ignore. Default: all 1. */
  mask?: Float32Array;
  batch: number;
  seq: number;
}

/** Tensors by name, in insertion order (Hugging Face / PEFT names). */
export type TensorMap = Map<string, HostTensor>;

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** An error whose message is meant for the user as is: it says what is wrong and where. */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/** The message of anything thrown (an Error's message, else its string form), for showing it. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
