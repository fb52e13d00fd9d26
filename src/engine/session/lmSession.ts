/**
 * One loaded language model and everything done with it, the only way into the engine for
 * language-model work (the Worker, the CLI, benchmarks and tests all go through it): a dataset,
 * training runs (./lmRun), samples and scores, and the adapters kept on the one base
 * (`workspace`, ./adapterWorkspace). Everything it returns is plain data (./types).
 */
import { buildTokenStream, validationBatches } from '../data/batcher';
import type { TextDataset } from '../data/tasks';
import type { CausalLm } from '../models/causalLm';
import type { ModelSpec } from '../models/family';
import { generate } from '../models/generate';
import type { AdapterWeights } from '../lora/types';
import { memoryStats, type MemoryStats } from '../memory';
import type { HfModelFiles } from '../peft';
import { writeSafetensors } from '../safetensors';
import { encodePrompt, type TextTokenizer } from '../tokenizer/types';
import { meanTokenLoss } from '../train/evaluate';
import type { StepStats } from '../train/types';
import { UserFacingError, type TensorMap } from '../types';
import { fullDeltaWView, type DeltaWView } from './deltaW';
import { AdapterWorkspace, uniqueAdapterName } from './adapterWorkspace';
import { RUN_DEFAULTS } from './defaults';
import { LmRun } from './lmRun';
import { openBase, openBaseBytes, type OpenedBase } from './openBase';
import { assertRunFits } from './runMemory';
import type {
  BaseFiles,
  HubBase,
  ModelSummary,
  Provenance,
  RunInfo,
  RunSettings,
  RunSnapshot,
  Sample,
  SampleOptions,
  Score,
  TargetGroup,
} from './types';

export class LmSession {
  /** The adapters on this base: list, activate, rename, delete, merge, mix, import, export… */
  readonly workspace: AdapterWorkspace;
  private run: LmRun | null = null;
  private dataset: TextDataset | null = null;
  private disposed = false;
  /** What each trained adapter was trained on, for its exported model card. */
  private readonly provenance = new Map<string, Provenance>();

  private readonly model: CausalLm;
  private readonly spec: ModelSpec;
  readonly tokenizer: TextTokenizer;
  private readonly weightBytes: number;
  private readonly dtypes: string[];
  private readonly tokenizerText: string;
  private readonly tokenizerConfig: string | undefined;
  /** Set when the base was downloaded from the Hugging Face Hub. */
  readonly hub: HubBase | undefined;

  private constructor(
    readonly name: string,
    opened: OpenedBase,
    files: BaseFiles,
  ) {
    ({ model: this.model, spec: this.spec, tokenizer: this.tokenizer, weightBytes: this.weightBytes } = opened);
    this.dtypes = opened.dtypes;
    this.tokenizerText = files.tokenizer;
    this.tokenizerConfig = files.tokenizerConfig;
    this.hub = files.hub;
    const { model, spec, tokenizer, tokenizerText, hub } = this;
    this.workspace = new AdapterWorkspace(model, spec, {
      name,
      ...(hub ? { hub } : {}),
      tokenizerText,
      endOfTextId: tokenizer.endOfTextId,
      provenance: this.provenance,
      assertIdle: () => this.assertIdle(),
    });
  }

  /**
   * Open a checkpoint of any supported family whose weights are bytes (see openBase.ts). The
   * tokenizer.json is read as the shipped character tokenizer when it is one, else as any
   * tokenizer @huggingface/tokenizers reads. Its vocabulary must fit the model's.
   */
  static open(files: BaseFiles): LmSession {
    return new LmSession(files.name, openBaseBytes(files), files);
  }

  /** Open a checkpoint of any size: blob weights (one file or shards) stream tensor by tensor. */
  static async load(files: BaseFiles, onProgress?: (done: number, total: number) => void): Promise<LmSession> {
    return new LmSession(files.name, await openBase(files, onProgress), files);
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
      family: this.spec.family,
      familyLabel: this.spec.label,
      dims: { ...this.model.dims },
      targetNames: [...this.spec.targetNames],
      defaultTargets: [...this.spec.defaultTargets],
      baseParams: this.model.baseParamCount(),
      weightBytes: this.weightBytes,
      dtypes: [...this.dtypes],
      tokenizer: this.tokenizer.kind,
      vocabSize: this.tokenizer.vocabSize,
      targets: [...groups.values()],
      modules,
      ...(this.hub ? { hub: this.hub } : {}),
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
   * Start a run: LoRA creates the adapter `settings.adapterName` (made unique; RunInfo has the
   * name it got), makes it the active one and trains it by name; full trains a copy of the base.
   * With `resume`, continue an interrupted run of the same settings from its snapshot instead:
   * the adapter (or the trained copy) gets the snapshot's weights and steps count on from its
   * step; the optimizer's moments start at zero.
   */
  async beginRun(settings: RunSettings, resume?: RunSnapshot): Promise<RunInfo> {
    this.assertOpen();
    if (this.run) throw new UserFacingError('a run is already in progress: finish it first');
    if (resume && resume.mode !== settings.mode)
      throw new UserFacingError(`cannot resume a ${resume.mode} run as a ${settings.mode} run`);
    const ds = this.dataset;
    if (!ds) throw new UserFacingError('choose a dataset before training');
    const set = this.model.adapters;
    let adapter: string | null = null;
    if (settings.mode === 'lora') {
      set.unmergeAll();
      if (resume) set.import((adapter = resume.adapterName ?? ''), resume.weights as AdapterWeights);
      else await set.add((adapter = uniqueAdapterName(set, settings.adapterName)), settings.lora, settings.seed);
      set.setActive(adapter); // evaluations and samples during the run show the adapter being trained
    }
    try {
      assertRunFits(this.model, this.spec, settings, adapter); // before the optimizer or a batch exists
      this.run = LmRun.start(this.model, this.spec, ds, this.tokenizer, settings, adapter, resume);
    } catch (e) {
      if (adapter) set.delete(adapter);
      throw e;
    }
    return this.run.info();
  }

  /** One optimizer step of the current run. */
  async step(): Promise<StepStats> {
    return this.requireRun().step();
  }

  /** The run's trained weights now, as plain data (see RunSnapshot). `loss`: the last step's. */
  async runSnapshot(loss: number): Promise<RunSnapshot> {
    return this.requireRun().snapshot(loss);
  }

  get stepsDone(): number {
    return this.run?.steps ?? 0;
  }

  get running(): boolean {
    return this.run !== null;
  }

  /**
   * Mean validation loss (nats/token) over the run's fixed validation batches. With no run, over
   * the current dataset's first validation batches (the default batch, seq and count).
   * `useAdapter: false` scores the base model.
   */
  async evaluate(useAdapter = true): Promise<number> {
    if (this.run) return this.run.evaluate(useAdapter);
    const ds = this.dataset;
    if (!ds) throw new UserFacingError('choose a dataset first');
    const batches = validationBatches(buildTokenStream(ds.validation, this.tokenizer), {
      batch: RUN_DEFAULTS.batch,
      seq: Math.min(RUN_DEFAULTS.seq, this.model.nPositions),
      alignToDocuments: ds.alignToDocuments,
      maxBatches: RUN_DEFAULTS.evalBatches,
    });
    return (await meanTokenLoss(this.model, batches, { useAdapter })).loss;
  }

  /**
   * Mean negative log-likelihood (nats/token) of every token of `documents`, joined and closed by
   * the end-of-text token as for training and scored in the validation layout (no token twice).
   */
  async scoreDocuments(
    documents: readonly string[],
    opts: { useAdapter?: boolean; batch?: number; seq?: number } = {},
  ): Promise<Score> {
    if (documents.length === 0) throw new UserFacingError('there are no documents to score');
    const batches = validationBatches(buildTokenStream(documents, this.tokenizer), {
      batch: opts.batch ?? RUN_DEFAULTS.batch,
      seq: Math.min(opts.seq ?? RUN_DEFAULTS.seq, this.model.nPositions),
      alignToDocuments: true,
    });
    const { loss, tokens } = await meanTokenLoss(this.model, batches, { useAdapter: opts.useAdapter ?? true });
    return { nll: loss, tokens };
  }

  /** Mean negative log-likelihood (nats/token) of a text, with or without the active adapter. */
  async score(text: string, useAdapter: boolean): Promise<Score> {
    const ids = encodePrompt(this.tokenizer, text);
    const T = Math.min(ids.length - 1, this.model.nPositions);
    if (T < 1) throw new UserFacingError('the text is empty: nothing to score');
    const batch = { input: ids.slice(0, T), target: ids.slice(1, T + 1), batch: 1, seq: T };
    return { nll: await this.model.loss(batch, { useAdapter }), tokens: T };
  }

  /**
   * The prompt and a sampled continuation (up to the end-of-text token). `useAdapter: false` is the
   * base model; during a full fine-tuning run, `useAdapter: true` samples the fine-tuned copy.
   */
  async generate(prompt: string, opts: SampleOptions): Promise<string> {
    const model = opts.useAdapter && this.run?.settings.mode === 'full' ? this.run.model : this.model;
    const eot = this.tokenizer.endOfTextId;
    const ids = await generate(model, encodePrompt(this.tokenizer, prompt), {
      maxNewTokens: opts.maxNewTokens,
      temperature: opts.temperature,
      topK: opts.topK ?? 0,
      seed: opts.seed,
      useAdapter: opts.useAdapter,
      stopToken: eot,
    });
    if (ids[ids.length - 1] === eot) ids.pop();
    return prompt + this.tokenizer.decode(ids, { skipSpecialTokens: true });
  }

  /** Samples from fixed prompts, the i-th with seed `opts.seed + i` (see generate). */
  async samples(prompts: string[], opts: SampleOptions): Promise<Sample[]> {
    const out: Sample[] = [];
    for (const [i, prompt] of prompts.entries())
      out.push({ prompt, text: await this.generate(prompt, { ...opts, seed: opts.seed + i }) });
    return out;
  }

  /** A full run's trained copy in the family's Hugging Face format, with the base's tokenizer (before endRun). */
  async trainedBaseFiles(): Promise<HfModelFiles & { 'tokenizer.json': string }> {
    const run = this.requireRun();
    if (run.settings.mode !== 'full')
      throw new UserFacingError('only a full fine-tuning run trains a copy of the base');
    return { ...(await run.trainedFiles(this.tokenizer.endOfTextId)), 'tokenizer.json': this.tokenizerText };
  }

  /**
   * A finished full run's trained copy (its final weights, HF names, as the Worker keeps them) in
   * the family's Hugging Face format with the base's tokenizer: a folder transformers loads as it is.
   */
  fullModelFiles(trained: TensorMap): HfModelFiles & { 'tokenizer.json': string } {
    return { ...this.spec.hfFiles(trained, this.tokenizer.endOfTextId), 'tokenizer.json': this.tokenizerText };
  }

  /**
   * What full fine-tuning changed in one linear module (path without ".weight"):
   * ΔW = W_full − W₀ as [d_out, d_in], against the base as it is on the device now.
   */
  async fullDeltaW(module: string, trained: TensorMap): Promise<DeltaWView> {
    this.assertOpen();
    const name = `${module}.weight`;
    const w1 = trained.get(name);
    if (!w1 || w1.shape.length !== 2) throw new UserFacingError(`the fully fine-tuned copy has no matrix ${name}`);
    // HF layout: GPT-2's Conv1D [d_in, d_out], nn.Linear [d_out, d_in].
    return fullDeltaWView(module, await this.model.weight(name), w1, this.spec.fanInFanOut);
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
    const config = JSON.stringify(this.spec.configJson());
    const tokenizerConfig = this.tokenizerConfig;
    return {
      name: this.name,
      config,
      weights,
      tokenizer: this.tokenizerText,
      ...(tokenizerConfig ? { tokenizerConfig } : {}),
    };
  }

  /**
   * End the run: a LoRA adapter stays on the base (with what it was trained on, for its model
   * card); a full fine-tuned copy is freed.
   */
  endRun(finalLoss?: number): { steps: number; stopped: string | null } {
    const run = this.requireRun();
    const name = run.adapterName;
    const result = run.end();
    this.run = null;
    if (name && this.model.adapters.has(name)) {
      this.provenance.set(name, {
        dataset: this.dataset?.label,
        steps: result.steps,
        ...(finalLoss !== undefined ? { finalLoss } : {}),
      });
    }
    return result;
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

  private requireRun(): LmRun {
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
