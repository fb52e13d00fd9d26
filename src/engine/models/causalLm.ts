/**
 * What every causal language model of the engine offers, whatever its family (GPT-2, Llama,
 * Qwen2): the trainer, generation, the session and the exporters use only this.
 *
 * Shapes: B batch, T sequence, V vocabulary, N = B·T. Public methods hand out plain data;
 * `forwardTensor`/`lossTensor` return live tensors for engine code that runs them inside
 * tf.tidy / tf.variableGrads.
 */
import type { tf } from '../tf';
import type { HostTensor, TensorMap, TokenBatch } from '../types';
import type { AdapterSet, TrainableParameters } from '../lora/adapterSet';
import type { FamilyName } from './modelTypes';

/** The `model_type` values the registry knows. */
export type { FamilyName };

/** Options of one forward pass. */
export interface ForwardOptions {
  /** false: base weights only (the active adapter's branch is skipped). Default true. */
  useAdapter?: boolean;
  /** The adapter to apply (default: the active one). */
  adapter?: string;
  /** Training enables LoRA dropout. */
  training?: boolean;
  /** Seeds for dropout masks, one per call. */
  nextSeed?: () => number;
}

/**
 * A model's size in family-independent numbers (what the memory estimate, the UI's model card
 * and the parameter counter need).
 */
export interface ModelDims {
  family: FamilyName;
  layers: number;
  /** Width of the residual stream. */
  hidden: number;
  /** Query heads. */
  heads: number;
  /** Key/value heads (= heads without grouped-query attention). */
  kvHeads: number;
  /** Width of one head. */
  headDim: number;
  /** Hidden width of the MLP. */
  inner: number;
  vocabSize: number;
  /** Longest sequence the model takes. */
  nPositions: number;
  /** True when the LM head is the token embedding (no separate lm_head.weight). */
  tiedHead: boolean;
}

export interface CausalLm {
  readonly family: FamilyName;
  readonly dims: ModelDims;
  /** Number of token ids (rows of the embedding). */
  readonly vocabSize: number;
  /** Longest sequence the model takes. */
  readonly nPositions: number;
  /** Named LoRA adapters on the model's linear layers. */
  readonly adapters: AdapterSet;
  /** True when the base weights are variables (full fine-tuning). */
  readonly trainableBase: boolean;
  /** Logits for ids [B, T] (int32) → [B, T, V]. Call inside tf.tidy. */
  forwardTensor(ids: tf.Tensor2D, opts?: ForwardOptions): tf.Tensor3D;
  /** Mean token cross-entropy (nats) over positions with mask 1. Call inside tf.tidy. */
  lossTensor(batch: TokenBatch, opts?: ForwardOptions): tf.Scalar;
  /** Logits as plain data: ids [B·T] → [B, T, V]. */
  logits(ids: Int32Array, B: number, T: number, opts?: ForwardOptions): Promise<HostTensor>;
  /** Mean cross-entropy of a batch (no dropout, no update). */
  loss(batch: TokenBatch, opts?: ForwardOptions): Promise<number>;
  /** Throws a UserFacingError unless the batch fits this model (ids in range, shapes, mask). */
  checkBatch(batch: TokenBatch): void;
  /** Every base weight by its HF name in HF order and layout, merged adapters included. */
  exportWeights(): Promise<TensorMap>;
  /** One base weight by HF name, in HF layout. */
  weight(name: string): Promise<HostTensor>;
  /** A copy whose every weight is a trainable variable (full fine-tuning); adapters not copied. */
  cloneTrainable(): CausalLm;
  /** The base weights as variables (full mode); empty for a frozen model. */
  baseVariables(): { name: string; variable: tf.Variable }[];
  /** Base parameters (a tied head counted once). */
  baseParamCount(): number;
  /** PEFT's numbers: LoRA → the active adapter is trainable; full → everything is. */
  trainableParameters(): TrainableParameters;
  /** Frees every tensor the model owns. */
  dispose(): void;
}
