/**
 * One loaded language model and everything done with it: datasets, LoRA (or full) training runs,
 * samples, what an adapter learned, and the adapters kept on the one base. The Worker exposes
 * this object as is; the CLI and tests drive it directly. Everything it returns is plain data.
 */
import { buildTokenStream, TrainBatcher, validationBatches } from '../data/batcher';
import type { TextDataset } from '../data/tasks';
import { generate } from '../gpt2/generate';
import { checkGpt2Files, loadGpt2 } from '../gpt2/io';
import type { Gpt2Model } from '../gpt2/model';
import type { Gpt2Config } from '../gpt2/config';
import type { TrainableParameters } from '../lora/adapterSet';
import type { AdapterWeights, LoraConfig } from '../lora/types';
import { memoryStats, type MemoryStats } from '../memory';
import {
  exportAdapter,
  exportHfModelFiles,
  importAdapter,
  importAdapterZip,
  type AdapterFiles,
  type HfModelFiles,
} from '../peft';
import { gpt2ConfigJson } from '../gpt2/config';
import { writeSafetensors } from '../safetensors';
import type { TensorMap } from '../types';
import { charTokenizerFromJson } from '../tokenizer/tokenizerJson';
import { loadHfTokenizer } from '../tokenizer/hfTokenizer';
import { checkTokenizerFile } from '../tokenizer/fileCheck';
import { encodePrompt, type TextTokenizer } from '../tokenizer/types';
import { Gpt2Trainer, type TrainMode } from '../train/gpt2Trainer';
import type { StepStats, TokenBatch } from '../train/types';
import { UserFacingError } from '../types';
import { deltaWView, type DeltaWView } from './deltaW';
import { errorMessage } from '../types';

/** The files of a Hugging Face GPT-2 checkpoint, as bytes/text (from the app's server or the user's disk). */
export interface BaseFiles {
  /** Shown in the UI and written as `base_model_name_or_path`. */
  name: string;
  config: string;
  weights: Uint8Array;
  tokenizer: string;
}

/** The linear layers of every block, grouped by the name a LoRA target uses ("c_attn", "attn.c_proj"…). */
export interface TargetGroup {
  /** A PEFT target_modules entry that matches exactly this group. */
  key: string;
  /** Number of layers it adapts (one per block). */
  layers: number;
  dIn: number;
  dOut: number;
  /** Trainable parameters per unit of rank: layers·(d_in + d_out). */
  paramsPerRank: number;
}

export interface ModelSummary {
  name: string;
  config: Gpt2Config;
  baseParams: number;
  weightBytes: number;
  tokenizer: 'char' | 'bpe';
  vocabSize: number;
  targets: TargetGroup[];
  modules: { name: string; dIn: number; dOut: number }[];
}

export interface RunSettings {
  mode: TrainMode;
  /** Name of the adapter a LoRA run creates (made unique if taken). */
  adapterName: string;
  lora: Partial<
    Pick<LoraConfig, 'r' | 'lora_alpha' | 'lora_dropout' | 'target_modules' | 'init_lora_weights' | 'use_rslora'>
  >;
  learningRate: number;
  totalSteps: number;
  warmupSteps: number;
  batch: number;
  seq: number;
  seed: number;
  /** Validation batches used by evaluate() (each scores batch·seq tokens at most). */
  evalBatches: number;
}

export interface RunInfo {
  mode: TrainMode;
  adapterName: string | null;
  trainable: TrainableParameters;
  optimizerStateBytes: number;
  /** Bytes of the weights the optimizer updates (fp32). */
  trainedWeightBytes: number;
  totalSteps: number;
  tokensPerStep: number;
}

/**
 * The trained weights of a run at a step, as plain data kept off the device: what a run resumes
 * from after the GPU device was lost.
 */
export interface RunSnapshot {
  /** Steps done when it was taken. */
  step: number;
  /** Training loss of that step (NaN before the first). */
  loss: number;
  mode: TrainMode;
  /** LoRA: the adapter's name; full: null. */
  adapterName: string | null;
  /** LoRA: the adapter; full: every base weight of the trained copy (HF names and order). */
  weights: AdapterWeights | TensorMap;
}

export interface Sample {
  prompt: string;
  text: string;
}

export interface AdapterInfo {
  name: string;
  active: boolean;
  merged: boolean;
  r: number;
  alpha: number;
  useRslora: boolean;
  targets: string[];
  modules: number;
  params: number;
  bytes: number;
}

export class LmSession {
  private run: { trainer: Gpt2Trainer; settings: RunSettings; batcher: TrainBatcher; val: TokenBatch[] } | null = null;
  private dataset: TextDataset | null = null;
  private disposed = false;
  /** What each trained adapter was trained on, for its exported model card. */
  private readonly provenance = new Map<string, { dataset?: string; steps?: number; finalLoss?: number }>();

  private constructor(
    readonly name: string,
    private readonly model: Gpt2Model,
    readonly tokenizer: TextTokenizer,
    private readonly weightBytes: number,
    private readonly tokenizerText: string,
  ) {}

  /**
   * Load a GPT-2 checkpoint. The tokenizer.json is read as the shipped character tokenizer when it
   * is one, else as a byte-level BPE (GPT-2's). Its vocabulary must fit the model's.
   */
  static open(files: BaseFiles): LmSession {
    checkGpt2Files(files.weights, files.config); // absurd configs are refused before the tokenizer is built
    const tokenizer = readTokenizer(files.tokenizer);
    const model = loadGpt2(files.weights, files.config);
    if (tokenizer.vocabSize > model.config.vocab_size) {
      model.dispose();
      throw new UserFacingError(
        `tokenizer.json has ${tokenizer.vocabSize} tokens but the model's vocab_size is ${model.config.vocab_size}: they do not belong together`,
      );
    }
    return new LmSession(files.name, model, tokenizer, files.weights.byteLength, files.tokenizer);
  }

  summary(): ModelSummary {
    const modules = this.model.adapters.modules.map((m) => ({ name: m.name, dIn: m.dIn, dOut: m.dOut }));
    const groups = new Map<string, TargetGroup>();
    for (const m of modules) {
      const key = m.name.split('.').slice(-2).join('.'); // "attn.c_attn", "mlp.c_proj"
      const g = groups.get(key) ?? { key, layers: 0, dIn: m.dIn, dOut: m.dOut, paramsPerRank: 0 };
      g.layers++;
      g.paramsPerRank += m.dIn + m.dOut;
      groups.set(key, g);
    }
    return {
      name: this.name,
      config: this.model.config,
      baseParams: this.model.baseParamCount(),
      weightBytes: this.weightBytes,
      tokenizer: this.tokenizer.kind,
      vocabSize: this.tokenizer.vocabSize,
      targets: [...groups.values()],
      modules,
    };
  }

  /** Use this dataset for the next runs (the caller fetched or prepared it). */
  setDataset(dataset: TextDataset): { train: number; validation: number; trainTokens: number } {
    if (dataset.train.length === 0 || dataset.validation.length === 0) {
      throw new UserFacingError(`the dataset "${dataset.label}" needs both training and validation documents`);
    }
    this.dataset = dataset;
    const trainTokens = buildTokenStream(dataset.train, this.tokenizer).ids.length;
    return { train: dataset.train.length, validation: dataset.validation.length, trainTokens };
  }

  /**
   * Start a run: a fresh adapter (lora) or a trainable copy of the base (full). With `resume`,
   * continue an interrupted run of the same settings from its snapshot instead: the adapter (or
   * the trained copy) gets the snapshot's weights and steps count on from its step; the
   * optimizer's moments start at zero.
   */
  async beginRun(settings: RunSettings, resume?: RunSnapshot): Promise<RunInfo> {
    this.assertOpen();
    if (this.run) throw new UserFacingError('a run is already in progress: finish it first');
    if (resume && resume.mode !== settings.mode)
      throw new UserFacingError(`cannot resume a ${resume.mode} run as a ${settings.mode} run`);
    const ds = this.dataset;
    if (!ds) throw new UserFacingError('choose a dataset before training');
    const seq = Math.min(settings.seq, this.model.config.n_positions);
    const train = buildTokenStream(ds.train, this.tokenizer);
    const valStream = buildTokenStream(ds.validation, this.tokenizer);
    const batcher = new TrainBatcher(train, {
      batch: settings.batch,
      seq,
      seed: settings.seed,
      alignToDocuments: ds.alignToDocuments,
    });
    const val = validationBatches(valStream, {
      batch: settings.batch,
      seq,
      alignToDocuments: ds.alignToDocuments,
      maxBatches: settings.evalBatches,
    });
    let adapterName: string | null = null;
    if (settings.mode === 'lora') {
      this.model.adapters.unmergeAll();
      if (resume) {
        adapterName = resume.adapterName ?? '';
        this.model.adapters.import(adapterName, resume.weights as AdapterWeights);
      } else {
        adapterName = this.uniqueName(settings.adapterName);
        await this.model.adapters.add(adapterName, settings.lora, settings.seed);
      }
    }
    let trainer: Gpt2Trainer;
    try {
      trainer = new Gpt2Trainer(this.model, {
        mode: settings.mode,
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
    } catch (e) {
      if (adapterName) this.model.adapters.delete(adapterName);
      throw e;
    }
    this.run = { trainer, settings: { ...settings, seq }, batcher, val };
    const trainable = trainer.trainableParameters();
    return {
      mode: settings.mode,
      adapterName,
      trainable,
      optimizerStateBytes: trainer.optimizerStateBytes(),
      trainedWeightBytes: trainer.trainableCount() * 4,
      totalSteps: settings.totalSteps,
      tokensPerStep: settings.batch * seq,
    };
  }

  /** One optimizer step of the current run. */
  async step(): Promise<StepStats> {
    const run = this.requireRun();
    return run.trainer.step(run.batcher.batchAt(run.trainer.steps));
  }

  /** The run's trained weights now, as plain data (see RunSnapshot). `loss`: the last step's. */
  async runSnapshot(loss: number): Promise<RunSnapshot> {
    const run = this.requireRun();
    const weights = await run.trainer.snapshot();
    return { step: run.trainer.steps, loss, mode: run.trainer.mode, adapterName: run.trainer.adapterName, weights };
  }

  /**
   * The base as it is on the device when that differs from the loaded files because a PiSSA
   * adapter replaced W by its residual (else null). Only while nothing is merged (merges are
   * re-applied on a restore).
   */
  async residualBaseFiles(): Promise<BaseFiles | null> {
    const set = this.model.adapters;
    const names = set.names();
    if (!names.some((n) => set.config(n).init_lora_weights === 'pissa') || names.some((n) => set.isMerged(n)))
      return null;
    const weights = writeSafetensors(await this.model.exportWeights(), { format: 'pt' });
    return {
      name: this.name,
      config: JSON.stringify(gpt2ConfigJson(this.model.config)),
      weights,
      tokenizer: this.tokenizerText,
    };
  }

  get stepsDone(): number {
    return this.run?.trainer.steps ?? 0;
  }

  /**
   * Mean validation loss (nats/token) over the run's fixed validation batches. With no run, over
   * the current dataset's. `useAdapter: false` scores the base model.
   */
  async evaluate(useAdapter = true): Promise<number> {
    const model = this.run?.trainer.model ?? this.model;
    const batches = this.run?.val ?? this.defaultValidation();
    let total = 0;
    let count = 0;
    for (const b of batches) {
      const n = b.mask ? b.mask.reduce((a, v) => a + v, 0) : b.batch * b.seq;
      if (n === 0) continue;
      total += (await model.loss(b, { useAdapter })) * n;
      count += n;
    }
    return total / count;
  }

  /**
   * Samples from fixed prompts. `useAdapter: false` is the base model. During a full fine-tuning
   * run, `useAdapter: true` samples the fine-tuned copy.
   */
  async samples(
    prompts: string[],
    opts: { maxNewTokens: number; temperature: number; seed: number; useAdapter: boolean },
  ): Promise<Sample[]> {
    const model = opts.useAdapter && this.run?.settings.mode === 'full' ? this.run.trainer.model : this.model;
    const out: Sample[] = [];
    for (const [i, prompt] of prompts.entries()) {
      const ids = await generate(model, encodePrompt(this.tokenizer, prompt), {
        maxNewTokens: opts.maxNewTokens,
        temperature: opts.temperature,
        topK: 0,
        seed: opts.seed + i,
        useAdapter: opts.useAdapter,
        stopToken: this.tokenizer.endOfTextId,
      });
      if (ids[ids.length - 1] === this.tokenizer.endOfTextId) ids.pop();
      out.push({ prompt, text: prompt + this.tokenizer.decode(ids, { skipSpecialTokens: true }) });
    }
    return out;
  }

  /** Mean negative log-likelihood (nats/token) of a text, with or without the active adapter. */
  async score(text: string, useAdapter: boolean): Promise<{ nll: number; tokens: number }> {
    const ids = encodePrompt(this.tokenizer, text);
    const T = Math.min(ids.length - 1, this.model.config.n_positions);
    if (T < 1) throw new UserFacingError('the text is empty: nothing to score');
    const batch: TokenBatch = { input: ids.slice(0, T), target: ids.slice(1, T + 1), batch: 1, seq: T };
    return { nll: await this.model.loss(batch, { useAdapter }), tokens: T };
  }

  /** ΔW = s·B·A of one module of an adapter (default: the active one) and its singular values. */
  async deltaW(module: string, adapterName?: string): Promise<DeltaWView> {
    const name = adapterName ?? this.model.adapters.active;
    if (!name) throw new UserFacingError('no adapter is active: train or load one first');
    const weights = await this.model.adapters.export(name);
    const w = weights.modules.get(module);
    if (!w)
      throw new UserFacingError(
        `adapter "${name}" does not adapt ${module} (it adapts ${[...weights.modules.keys()].join(', ')})`,
      );
    return deltaWView(module, w);
  }

  /**
   * End the run: a LoRA adapter stays on the base (with what it was trained on, for its model
   * card); a full fine-tuned copy is freed.
   */
  endRun(finalLoss?: number): { steps: number; stopped: string | null } {
    const run = this.requireRun();
    const result = { steps: run.trainer.steps, stopped: run.trainer.stopped };
    const name = run.trainer.adapterName;
    if (name && this.model.adapters.has(name)) {
      this.provenance.set(name, {
        dataset: this.dataset?.label,
        steps: result.steps,
        ...(finalLoss !== undefined ? { finalLoss } : {}),
      });
    }
    run.trainer.dispose();
    this.run = null;
    return result;
  }

  get running(): boolean {
    return this.run !== null;
  }

  // ---- adapters on the one base ----

  adapters(): AdapterInfo[] {
    const set = this.model.adapters;
    return set.names().map((name) => {
      const c = set.config(name);
      const params = set.paramCount(name);
      return {
        name,
        active: set.active === name,
        merged: set.isMerged(name),
        r: c.r,
        alpha: c.lora_alpha,
        useRslora: c.use_rslora,
        targets: typeof c.target_modules === 'string' ? [c.target_modules] : c.target_modules,
        modules: set.targets(name).length,
        params,
        bytes: params * 4,
      };
    });
  }

  /** Make an adapter active (null: base only). Merged adapters are unmerged first. */
  activate(name: string | null): void {
    this.assertIdle();
    this.model.adapters.unmergeAll();
    if (name === null) this.model.adapters.disable();
    else this.model.adapters.setActive(name);
  }

  deleteAdapter(name: string): void {
    this.assertIdle();
    if (this.model.adapters.isMerged(name)) this.model.adapters.unmerge(name);
    this.model.adapters.delete(name);
    this.provenance.delete(name);
  }

  async renameAdapter(from: string, to: string): Promise<void> {
    this.assertIdle();
    const clean = to.trim();
    if (!/^[\w.-]{1,64}$/.test(clean))
      throw new UserFacingError('adapter names use letters, digits, "-", "_" and "." (at most 64)');
    if (this.model.adapters.has(clean)) throw new UserFacingError(`an adapter named "${clean}" already exists`);
    const wasActive = this.model.adapters.active === from;
    const weights = await this.model.adapters.export(from);
    const origin = this.provenance.get(from);
    this.deleteAdapter(from);
    this.model.adapters.import(clean, weights);
    if (origin) this.provenance.set(clean, origin);
    if (!wasActive) this.model.adapters.disable();
  }

  merge(name: string): void {
    this.assertIdle();
    this.model.adapters.merge(name);
  }

  unmerge(name: string): void {
    this.assertIdle();
    this.model.adapters.unmerge(name);
  }

  /** PEFT add_weighted_adapter: "cat" (exact) or "svd" to `rank` (with the Frobenius error per module). */
  async mix(
    newName: string,
    sources: { name: string; weight: number }[],
    method: 'cat' | 'svd',
    rank?: number,
  ): Promise<{ name: string; maxError: number | null }> {
    this.assertIdle();
    this.model.adapters.unmergeAll(); // the new adapter becomes active: nothing else stays folded in
    const name = this.uniqueName(newName);
    const { errors } = await this.model.adapters.combine(name, sources, method, rank);
    const maxError = errors ? Math.max(...errors.values()) : null;
    return { name, maxError };
  }

  async adapterWeights(name: string): Promise<AdapterWeights> {
    return this.model.adapters.export(name);
  }

  /** An adapter's PEFT files (adapter_model.safetensors, adapter_config.json, README.md). */
  async exportAdapterFiles(
    name: string,
    info: { dataset?: string; steps?: number; finalLoss?: number } = {},
  ): Promise<AdapterFiles> {
    const known = this.provenance.get(name) ?? {};
    return exportAdapter(await this.model.adapters.export(name), {
      baseModelName: this.name,
      taskType: 'CAUSAL_LM',
      ...known,
      ...info,
    });
  }

  /** The base in Hugging Face GPT-2 format; `merged`: with the active adapter folded into W. */
  async exportBaseFiles(merged = false): Promise<HfModelFiles & { 'tokenizer.json': string }> {
    this.assertIdle();
    const active = this.model.adapters.active;
    const mergeNow = merged && active !== null && !this.model.adapters.isMerged(active);
    if (mergeNow) this.model.adapters.merge(active!);
    try {
      const files = exportHfModelFiles(gpt2ConfigJson(this.model.config), await this.model.exportWeights());
      return { ...files, 'tokenizer.json': this.tokenizerText };
    } finally {
      if (mergeNow) this.model.adapters.unmerge(active!);
    }
  }

  /** Add an adapter from PEFT files (a zip, or a map of file name → bytes) after checking it fits. */
  importAdapterFiles(name: string, source: Uint8Array | Map<string, Uint8Array>): { name: string; warnings: string[] } {
    this.assertIdle();
    const base = {
      modules: new Map(this.model.adapters.modules.map((m) => [m.name, { dIn: m.dIn, dOut: m.dOut }])),
      modelType: 'gpt2',
    };
    const imported = source instanceof Uint8Array ? importAdapterZip(source, base) : importAdapter(source, base);
    this.model.adapters.unmergeAll();
    const unique = this.uniqueName(name);
    this.model.adapters.import(unique, imported.adapter);
    return { name: unique, warnings: imported.warnings };
  }

  /** Add an adapter from plain weights (e.g. restored from IndexedDB). */
  restoreAdapter(name: string, weights: AdapterWeights): string {
    this.assertIdle();
    this.model.adapters.unmergeAll();
    const unique = this.uniqueName(name);
    this.model.adapters.import(unique, weights);
    return unique;
  }

  memory(): MemoryStats {
    return memoryStats();
  }

  dispose(): void {
    if (this.disposed) return;
    if (this.run) this.endRun();
    this.model.dispose();
    this.disposed = true;
  }

  // ---- helpers ----

  private defaultValidation(): TokenBatch[] {
    const ds = this.dataset;
    if (!ds) throw new UserFacingError('choose a dataset first');
    const seq = Math.min(32, this.model.config.n_positions);
    return validationBatches(buildTokenStream(ds.validation, this.tokenizer), {
      batch: 16,
      seq,
      alignToDocuments: ds.alignToDocuments,
      maxBatches: 4,
    });
  }

  private uniqueName(base: string): string {
    const clean =
      base
        .trim()
        .replace(/[^\w.-]+/g, '-')
        .slice(0, 48) || 'adapter';
    if (!this.model.adapters.has(clean)) return clean;
    for (let i = 2; ; i++) if (!this.model.adapters.has(`${clean}-${i}`)) return `${clean}-${i}`;
  }

  private requireRun() {
    if (!this.run) throw new UserFacingError('no run in progress');
    return this.run;
  }

  private assertIdle(): void {
    this.assertOpen();
    if (this.run) throw new UserFacingError('a training run is in progress: stop it first');
  }

  private assertOpen(): void {
    if (this.disposed) throw new UserFacingError('this model was unloaded');
  }
}

function readTokenizer(text: string): TextTokenizer {
  checkTokenizerFile(text);
  try {
    return charTokenizerFromJson(text);
  } catch (charError) {
    try {
      return loadHfTokenizer(text);
    } catch (bpeError) {
      throw new UserFacingError(
        `tokenizer.json could not be read: ${errorMessage(bpeError)} (as a character tokenizer: ${errorMessage(charError)})`,
      );
    }
  }
}
