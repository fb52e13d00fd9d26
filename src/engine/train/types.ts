/** What the trainer and the models exchange: plain batches and per-step numbers. */

/** A language-model batch: ids [batch, seq] row-major; the loss predicts `target` at each position. */
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

/** The numbers one optimizer step reports (all plain, safe to post from a Worker). */
export interface StepStats {
  /** 1-based count of completed steps. */
  step: number;
  /** Training loss of this batch before the update (mean token cross-entropy, nats). */
  loss: number;
  /** Learning rate used for this update. */
  lr: number;
  /** Global L2 norm of the gradient before clipping. */
  gradNorm: number;
  /** True when the gradient was scaled down to maxGradNorm. */
  clipped: boolean;
  /** Wall time of the step including the read-back of loss and norm. */
  msPerStep: number;
  /** Tokens (positions) processed per second in this step. */
  tokensPerSec: number;
  /** tf.memory() after the step. */
  numTensors: number;
  numBytes: number;
  /** Set when training must stop (divergence): what happened and what was restored. */
  stopped?: string;
}
