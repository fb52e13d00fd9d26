/**
 * One training run of an LmSession: its batches (a pure function of seed and step), the trainer,
 * the fixed validation batches it is evaluated on and snapshots of what it trained. A LoRA run
 * trains the adapter it is given by name (the session creates it first); a full run trains a copy
 * of every base weight and frees it at the end.
 */
import { buildTokenStream, TrainBatcher, validationBatches, type MaskedBatch } from '../data/batcher';
import type { TextDataset } from '../data/tasks';
import type { CausalLm } from '../models/causalLm';
import type { HfModelFiles, ModelSpec } from '../models/family';
import type { TextTokenizer } from '../tokenizer/types';
import { meanTokenLoss } from '../train/evaluate';
import { LmTrainer } from '../train/lmTrainer';
import type { StepStats } from '../train/types';
import type { TensorMap } from '../types';
import type { RunInfo, RunSettings, RunSnapshot } from './types';

export class LmRun {
  private constructor(
    /** The session's model: what a LoRA run adapts and a full run copies. */
    private readonly base: CausalLm,
    /** The base's family and config: what a full run's copy is written as. */
    private readonly spec: ModelSpec,
    private readonly trainer: LmTrainer,
    /** The settings as run: `seq` at most the model's context. */
    readonly settings: RunSettings,
    private readonly batcher: TrainBatcher,
    private readonly validation: MaskedBatch[],
  ) {}

  /**
   * @param adapter LoRA: the name of the adapter to train (on `model` already); full: null.
   * @param resume continue from this snapshot: the full run's copy gets its weights and steps
   *   count on from its step (a LoRA snapshot's weights are the adapter's, restored by the caller).
   */
  static start(
    model: CausalLm,
    spec: ModelSpec,
    dataset: TextDataset,
    tokenizer: TextTokenizer,
    settings: RunSettings,
    adapter: string | null,
    resume?: RunSnapshot,
  ): LmRun {
    const seq = Math.min(settings.seq, model.nPositions);
    const layout = { batch: settings.batch, seq, alignToDocuments: dataset.alignToDocuments };
    const batcher = new TrainBatcher(buildTokenStream(dataset.train, tokenizer), { ...layout, seed: settings.seed });
    const validation = validationBatches(buildTokenStream(dataset.validation, tokenizer), {
      ...layout,
      maxBatches: settings.evalBatches,
    });
    const trainer = new LmTrainer(model, {
      mode: settings.mode,
      adapter: adapter ?? undefined,
      learningRate: settings.learningRate,
      totalSteps: settings.totalSteps,
      warmupSteps: settings.warmupSteps,
      // A resumed run draws other dropout masks than its first steps did.
      seed: resume ? settings.seed + 7919 * resume.step : settings.seed,
      resume: resume && {
        step: resume.step,
        loss: resume.loss,
        weights: resume.mode === 'full' ? [...(resume.weights as TensorMap).values()].map((t) => t.data) : undefined,
      },
    });
    return new LmRun(model, spec, trainer, { ...settings, seq }, batcher, validation);
  }

  info(): RunInfo {
    const { mode, totalSteps, batch, seq } = this.settings;
    return {
      mode,
      adapterName: this.trainer.adapterName,
      trainable: this.trainer.trainableParameters(),
      optimizerStateBytes: this.trainer.optimizerStateBytes(),
      trainedWeightBytes: this.trainer.trainableCount() * 4,
      totalSteps,
      tokensPerStep: batch * seq,
    };
  }

  get steps(): number {
    return this.trainer.steps;
  }

  get adapterName(): string | null {
    return this.trainer.adapterName;
  }

  /** The model the run trains: the base with its adapter (lora) or the trainable copy (full). */
  get model(): CausalLm {
    return this.trainer.model;
  }

  /** One optimizer step on the batch of the next step. */
  step(): Promise<StepStats> {
    return this.trainer.step(this.batcher.batchAt(this.trainer.steps));
  }

  /** The trained weights now, as plain data (see RunSnapshot). `loss`: the last step's. */
  async snapshot(loss: number): Promise<RunSnapshot> {
    const weights = await this.trainer.snapshot();
    const { steps: step, mode, adapterName } = this.trainer;
    return { step, loss, mode, adapterName, weights };
  }

  /**
   * Mean validation loss (nats/token) over the run's fixed validation batches: of what it trains
   * (the adapted base, or the full run's copy), or with `useAdapter: false` of the base alone.
   */
  async evaluate(useAdapter: boolean): Promise<number> {
    const model = useAdapter ? this.trainer.model : this.base;
    return (await meanTokenLoss(model, this.validation, { useAdapter })).loss;
  }

  /**
   * A full run's trained copy in the base family's Hugging Face format (config.json, model.safetensors).
   * @param endOfTextId the tokenizer's end-of-text id (the config's eos token id where it names none).
   */
  async trainedFiles(endOfTextId: number): Promise<HfModelFiles> {
    return this.spec.hfFiles(await this.trainer.model.exportWeights(), endOfTextId);
  }

  /** Frees the optimizer (and a full run's copy); returns the steps done and why it stopped early, if it did. */
  end(): { steps: number; stopped: string | null } {
    const result = { steps: this.trainer.steps, stopped: this.trainer.stopped };
    this.trainer.dispose();
    return result;
  }
}
