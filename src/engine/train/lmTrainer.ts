/**
 * Training a causal LM of any family: `lora` trains one named adapter's A and B only (the base stays a frozen
 * tensor, bit-identical); `full` clones every base weight into variables and trains them all,
 * leaving the source model untouched.
 */
import type { AdapterWeights } from '../lora/types';
import type { TrainableParameters } from '../lora/adapterSet';
import type { TensorMap, TokenBatch } from '../types';
import type { CausalLm } from '../models/causalLm';
import { Trainer, type TrainerOptions, type TrainTarget } from './trainer';

export type TrainMode = 'lora' | 'full';

export interface LmTrainerOptions extends TrainerOptions {
  mode: TrainMode;
  /** LoRA: the adapter to train, by name; every training forward adds its branch. Default: the active one. */
  adapter?: string;
}

function target(model: CausalLm, mode: TrainMode, adapter: string | null): TrainTarget<TokenBatch> {
  const only = adapter ?? undefined;
  return {
    variables: mode === 'full' ? model.baseVariables() : model.adapters.variables(adapter),
    loss: (b, o) => model.lossTensor(b, { training: o.training, nextSeed: o.nextSeed, adapter: only }),
    check: (b) => model.checkBatch(b),
    size: (b) => b.batch * b.seq,
    shape: (b) => `${b.batch}×${b.seq}`,
  };
}

export class LmTrainer extends Trainer<TokenBatch> {
  /** The model being trained: the source in lora mode, a trainable clone in full mode. */
  readonly model: CausalLm;
  readonly mode: TrainMode;
  /** The adapter being trained (lora mode). */
  readonly adapterName: string | null;

  constructor(source: CausalLm, options: LmTrainerOptions) {
    const model = options.mode === 'full' ? source.cloneTrainable() : source;
    const adapterName = options.mode === 'lora' ? (options.adapter ?? source.adapters.active) : null;
    try {
      super(target(model, options.mode, adapterName), options);
    } catch (e) {
      if (model !== source) model.dispose();
      throw e;
    }
    this.model = model;
    this.mode = options.mode;
    this.adapterName = adapterName;
  }

  /** PEFT's numbers for what this trainer updates. */
  trainableParameters(): TrainableParameters {
    return this.model.trainableParameters();
  }

  /** The trained weights as plain data: the adapter (lora) or every base weight (full). */
  snapshot(): Promise<AdapterWeights | TensorMap> {
    return this.mode === 'lora' ? this.model.adapters.export(this.adapterName!) : this.model.exportWeights();
  }

  /** Frees optimizer state, and in full mode the trained clone. The source model is the caller's. */
  dispose(): void {
    super.dispose();
    if (this.mode === 'full') this.model.dispose();
  }
}
