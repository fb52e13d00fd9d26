/**
 * The adapters kept on one loaded base: list, activate, rename, delete, merge, unmerge, mix,
 * import, export, restore, and what an adapter learned (ΔW). Every method here is a public
 * operation (the Worker forwards each one by name; helpers are module functions), takes and
 * returns plain data, and refuses to change anything while a training run owns the model.
 */
import type { CausalLm } from '../models/causalLm';
import type { ModelSpec } from '../models/family';
import type { AdapterSet } from '../lora/adapterSet';
import { transposeHost } from '../lora/hostMath';
import { peftTargetNames } from '../lora/targetNames';
import type { AdapterWeights } from '../lora/types';
import { exportAdapter, importAdapter, importAdapterZip, type AdapterFiles, type HfModelFiles } from '../peft';
import { UserFacingError, type HostTensor } from '../types';
import { deltaWView, type DeltaWView } from './deltaW';
import type { AdapterInfo, HubBase, Provenance } from './types';

/** What the workspace needs from its session. */
export interface WorkspaceHost {
  /** Shown in the model card and written as `base_model_name_or_path`. */
  name: string;
  /** Set when the base came from the Hugging Face Hub (name is then its repo id). */
  hub?: HubBase;
  /** The tokenizer.json the base came with (written next to an exported base). */
  tokenizerText: string;
  /** The end-of-text token's id: bos_token_id and eos_token_id of an exported config.json (generate stops there). */
  endOfTextId: number;
  /** Throws a UserFacingError while the adapters must not change (a run owns them, or the model is unloaded). */
  assertIdle(): void;
  /** What each trained adapter was trained on, kept by the session and moved along on a rename. */
  provenance: Map<string, Provenance>;
}

export class AdapterWorkspace {
  constructor(
    private readonly model: CausalLm,
    /** The base's family: HF files, fan_in_fan_out and module layouts. */
    private readonly spec: ModelSpec,
    private readonly host: WorkspaceHost,
  ) {}

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
    this.host.assertIdle();
    this.model.adapters.unmergeAll();
    if (name === null) this.model.adapters.disable();
    else this.model.adapters.setActive(name);
  }

  deleteAdapter(name: string): void {
    this.host.assertIdle();
    if (this.model.adapters.isMerged(name)) this.model.adapters.unmerge(name);
    this.model.adapters.delete(name);
    this.host.provenance.delete(name);
  }

  async renameAdapter(from: string, to: string): Promise<void> {
    this.host.assertIdle();
    const set = this.model.adapters;
    const clean = to.trim();
    if (!/^[\w.-]{1,64}$/.test(clean))
      throw new UserFacingError('adapter names use letters, digits, "-", "_" and "." (at most 64)');
    if (set.has(clean)) throw new UserFacingError(`an adapter named "${clean}" already exists`);
    const wasActive = set.active === from;
    const weights = await set.export(from);
    const origin = this.host.provenance.get(from);
    this.deleteAdapter(from);
    set.import(clean, weights);
    if (origin) this.host.provenance.set(clean, origin);
    if (!wasActive) set.disable();
  }

  merge(name: string): void {
    this.host.assertIdle();
    this.model.adapters.merge(name);
  }

  unmerge(name: string): void {
    this.host.assertIdle();
    this.model.adapters.unmerge(name);
  }

  /** PEFT add_weighted_adapter: "cat" (exact) or "svd" to `rank` (with the Frobenius error per module). */
  async mix(
    newName: string,
    sources: { name: string; weight: number }[],
    method: 'cat' | 'svd',
    rank?: number,
  ): Promise<{ name: string; maxError: number | null }> {
    this.host.assertIdle();
    this.model.adapters.unmergeAll(); // the new adapter becomes active: nothing else stays folded in
    const name = uniqueAdapterName(this.model.adapters, newName);
    const { errors } = await this.model.adapters.combine(name, sources, method, rank);
    const maxError = errors ? Math.max(...errors.values()) : null;
    return { name, maxError };
  }

  /** An adapter's factors as plain data (PEFT layout). */
  adapterWeights(name: string): Promise<AdapterWeights> {
    return this.model.adapters.export(name);
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
   * The frozen base weight W₀ of one adapted layer as plain data, in the layout the model keeps it
   * for every family: [d_in, d_out] (GPT-2's Conv1D; nn.Linear weights transposed), so `layout` is "inOut".
   * For the paper
   * lab's amplification (LoRA paper §7.3), which compares ΔW with W₀.
   * @throws UserFacingError for an unknown module, or while an adapter is merged (W would hold ΔW too).
   */
  async baseWeight(module: string): Promise<{ module: string; weight: HostTensor; layout: 'inOut' }> {
    const set = this.model.adapters;
    const m = set.modules.find((x) => x.name === module);
    if (!m) throw new UserFacingError(`the base model has no adaptable layer named ${module}`);
    const merged = set.names().filter((n) => set.isMerged(n));
    if (merged.length)
      throw new UserFacingError(
        `${merged.join(', ')} is merged into the base, so W would include its ΔW: unmerge it first (Adapters page)`,
      );
    const w = await this.model.weight(m.weightKey); // HF layout: GPT-2's Conv1D [d_in, d_out], nn.Linear [d_out, d_in]
    if (this.spec.fanInFanOut) return { module, weight: w, layout: 'inOut' };
    return { module, weight: { shape: [m.dIn, m.dOut], data: transposeHost(w.data, m.dOut, m.dIn) }, layout: 'inOut' };
  }

  /**
   * An adapter's PEFT files (adapter_model.safetensors, adapter_config.json, README.md). The
   * card's Python loads the adapter from a folder named after it, and the base from `baseFolder`
   * when given (a base that is not on the Hub, downloaded beside the adapter).
   */
  async exportAdapterFiles(name: string, info: Provenance & { baseFolder?: string } = {}): Promise<AdapterFiles> {
    const known = this.host.provenance.get(name) ?? {};
    const { hub } = this.host;
    // A Hub base is named by its repo id (and pinned revision), never by a local folder.
    const { baseFolder, ...rest } = info;
    const weights = await this.model.adapters.export(name);
    const targets = weights.config.target_modules;
    if (Array.isArray(targets)) {
      const layers = this.model.adapters.modules.map((m) => m.name);
      weights.config.target_modules = peftTargetNames(targets, layers); // "q_proj", as PEFT users write it
    }
    return exportAdapter(weights, {
      baseModelName: hub ? hub.repoId : this.host.name,
      taskType: 'CAUSAL_LM',
      adapterFolder: name,
      ...known,
      ...rest,
      ...(hub
        ? { fromHub: true, ...(hub.revision !== 'main' ? { revision: hub.revision } : {}) }
        : baseFolder !== undefined
          ? { baseFolder }
          : {}),
    });
  }

  /** The base in its family's Hugging Face format; `merged`: with the active adapter folded into W. */
  async exportBaseFiles(merged = false): Promise<HfModelFiles & { 'tokenizer.json': string }> {
    this.host.assertIdle();
    const set = this.model.adapters;
    const active = set.active;
    const mergeNow = merged && active !== null && !set.isMerged(active);
    if (mergeNow) set.merge(active);
    try {
      const files = this.spec.hfFiles(await this.model.exportWeights(), this.host.endOfTextId);
      return { ...files, 'tokenizer.json': this.host.tokenizerText };
    } finally {
      if (mergeNow) set.unmerge(active);
    }
  }

  /**
   * Add an adapter from PEFT files (a zip, or a map of file name → bytes) after checking it fits. It becomes
   * active.
   */
  importAdapterFiles(name: string, source: Uint8Array | Map<string, Uint8Array>): { name: string; warnings: string[] } {
    this.host.assertIdle();
    const base = {
      modules: new Map(this.model.adapters.modules.map((m) => [m.name, { dIn: m.dIn, dOut: m.dOut }])),
      modelType: this.spec.family,
      fanInFanOut: this.spec.fanInFanOut,
    };
    const imported = source instanceof Uint8Array ? importAdapterZip(source, base) : importAdapter(source, base);
    return { name: this.restoreAdapter(name, imported.adapter), warnings: imported.warnings };
  }

  /** Add an adapter from plain weights (e.g. restored from IndexedDB); returns the name it got. It becomes active. */
  restoreAdapter(name: string, weights: AdapterWeights): string {
    this.host.assertIdle();
    this.model.adapters.unmergeAll();
    const unique = uniqueAdapterName(this.model.adapters, name);
    this.model.adapters.import(unique, weights);
    this.model.adapters.setActive(unique);
    return unique;
  }
}

/** `base` cleaned to an adapter name ("my names!" → "my-names"), with "-2", "-3"… when taken. */
export function uniqueAdapterName(set: AdapterSet, base: string): string {
  const clean =
    base
      .trim()
      .replace(/[^\w.-]+/g, '-')
      .slice(0, 48) || 'adapter';
  if (!set.has(clean)) return clean;
  for (let i = 2; ; i++) if (!set.has(`${clean}-${i}`)) return `${clean}-${i}`;
}
