/** What a trainer reports: per-step numbers (batches are engine/types.ts TokenBatch). */

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
