/** Training the 2-D lab's MLP: LoRA on the active adapter, or full (a trainable clone). */
import type { TrainableParameters } from '../lora/adapterSet';
import { Trainer, type TrainerOptions } from '../train/trainer';
import type { TrainMode } from '../train/gpt2Trainer';
import type { MlpModel, PointBatch } from './model';

export class MlpTrainer extends Trainer<PointBatch> {
  readonly model: MlpModel;
  readonly mode: TrainMode;

  constructor(source: MlpModel, options: TrainerOptions & { mode: TrainMode }) {
    const model = options.mode === 'full' ? source.cloneTrainable() : source;
    try {
      super(
        {
          variables: options.mode === 'full' ? model.baseVariables() : model.adapters.variables(),
          loss: (b, o) => model.lossTensor(b, o),
          check: (b) => model.checkBatch(b),
          size: (b) => b.n,
          shape: (b) => `${b.n}`,
        },
        options,
      );
    } catch (e) {
      if (model !== source) model.dispose();
      throw e;
    }
    this.model = model;
    this.mode = options.mode;
  }

  trainableParameters(): TrainableParameters {
    return this.model.trainableParameters();
  }

  dispose(): void {
    super.dispose();
    if (this.mode === 'full') this.model.dispose();
  }
}
