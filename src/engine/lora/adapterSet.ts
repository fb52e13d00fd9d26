/**
 * Named LoRA adapters on one model's linear layers, like PEFT's LoraModel: add, set active,
 * disable, delete, merge/unmerge, export/import as plain data, and the linear op itself
 * `y = x·W + b + s·((dropout(x)·Aᵀ)·Bᵀ)`. Layout: base weights are kept [d_in, d_out] (GPT-2's
 * Conv1D layout already is), so the forward is a plain x·W; the factors as Aᵀ [d_in, r] and
 * Bᵀ [r, d_out] (tfjs-wasm's transposed matmul is ~10× slower); exports are PEFT's A, B.
 */
import { tf } from '../tf';
import { formatPeftLine } from '../peftLine';
import { Rng } from '../rng';
import { UserFacingError, type HostTensor } from '../types';
import { transposeHost } from './hostMath';
import { combineCat, combineSvd } from './combine';
import { initLoraFactors } from './init';
import { frozenLinear, frozenLoraLinear } from './frozenMatMul';
import { matMulPlain } from './matMul';
import { moduleScaling, selectTargets, validateLoraConfig } from './match';
import type { ParamStore } from './paramStore';
import {
  DEFAULT_LORA_CONFIG,
  type AdapterWeights,
  type LinearContext,
  type LoraConfig,
  type LoraModuleWeights,
  type TrainableParameters,
} from './types';

export type { LinearContext, TrainableParameters } from './types';

/** A linear layer the adapters can attach to. */
export interface LinearModule {
  /** Module path, e.g. "transformer.h.0.attn.c_attn" or "layers.0". */
  name: string;
  dIn: number;
  dOut: number;
  /** Key of the [d_in, d_out] kernel in the store. */
  weightKey: string;
  biasKey: string | null;
}

interface ModuleFactors {
  At: tf.Variable; // [d_in, r]
  Bt: tf.Variable; // [r, d_out]
  r: number;
  alpha: number;
  scaling: number;
}

interface Adapter {
  config: LoraConfig;
  modules: Map<string, ModuleFactors>;
}

export class AdapterSet {
  private readonly adapters = new Map<string, Adapter>();
  private readonly byName: Map<string, LinearModule>;
  private activeName: string | null = null;
  private readonly merged: string[] = [];

  /**
   * @param fanInFanOut what the base layers are: true for GPT-2's Conv1D, false for nn.Linear.
   *   A config that says otherwise is corrected, as PEFT does (with a warning there).
   */
  constructor(
    readonly modules: readonly LinearModule[],
    private readonly store: ParamStore,
    private readonly fanInFanOut: boolean,
  ) {
    this.byName = new Map(modules.map((m) => [m.name, m]));
  }

  get active(): string | null {
    return this.activeName;
  }

  names(): string[] {
    return [...this.adapters.keys()];
  }

  has(name: string): boolean {
    return this.adapters.has(name);
  }

  /** The adapter's config (a copy). */
  config(name: string): LoraConfig {
    return structuredClone(this.get(name).config);
  }

  /** Module paths the adapter is attached to. */
  targets(name: string): string[] {
    return [...this.get(name).modules.keys()];
  }

  isMerged(name: string): boolean {
    return this.merged.includes(name);
  }

  private get(name: string): Adapter {
    const a = this.adapters.get(name);
    if (!a) throw new UserFacingError(`no adapter named "${name}" (have: ${this.names().join(', ') || 'none'})`);
    return a;
  }

  /**
   * Add an adapter and make it active. Factors are drawn on the host from `seed`. PiSSA reads
   * the base weights and replaces them by the residual W − s·B·A (shared by every adapter).
   */
  async add(name: string, partial: Partial<LoraConfig> = {}, seed = 0): Promise<void> {
    if (!name) throw new UserFacingError('an adapter needs a name');
    if (this.adapters.has(name)) throw new UserFacingError(`an adapter named "${name}" already exists`);
    const config = validateLoraConfig({
      ...structuredClone(DEFAULT_LORA_CONFIG),
      ...partial,
      fan_in_fan_out: this.fanInFanOut,
    });
    // config also carries layers_to_transform, layers_pattern and exclude_modules, applied as PEFT does
    const targets = selectTargets([...this.byName.keys()], config.target_modules, config);
    const rng = new Rng(seed);
    const modules = new Map<string, ModuleFactors>();
    try {
      for (const path of targets) {
        const m = this.byName.get(path)!;
        const { r, alpha, scaling } = moduleScaling(path, config);
        const kernel =
          config.init_lora_weights === 'pissa'
            ? ((await this.store.get(m.weightKey).data()) as Float32Array)
            : undefined;
        const f = initLoraFactors(config.init_lora_weights, m.dIn, m.dOut, r, scaling, rng, kernel);
        if (f.residualKernel) this.store.replace(m.weightKey, tf.tensor2d(f.residualKernel, [m.dIn, m.dOut]));
        modules.set(path, makeFactors(m, { A: f.A, B: f.B, r, alpha, scaling }));
      }
    } catch (e) {
      for (const f of modules.values()) disposeFactors(f);
      throw e;
    }
    this.adapters.set(name, { config, modules });
    this.activeName = name;
  }

  setActive(name: string): void {
    this.get(name);
    this.activeName = name;
  }

  /** Base model only: unmerges anything merged (as PEFT's disable_adapter_layers does) and deactivates. */
  disable(): void {
    this.unmergeAll();
    this.activeName = null;
  }

  delete(name: string): void {
    const a = this.get(name);
    if (this.isMerged(name)) this.unmerge(name);
    for (const f of a.modules.values()) disposeFactors(f);
    this.adapters.delete(name);
    if (this.activeName === name) this.activeName = null;
  }

  /** W ← W + s·B·A for every module of the adapter (default: the active one). Forward then skips its branch. */
  merge(name = this.activeName ?? ''): void {
    const a = this.get(name);
    if (this.isMerged(name)) return;
    this.addDelta(a, +1);
    this.merged.push(name);
  }

  /** W ← W − s·B·A: restores the base within fp32 rounding. */
  unmerge(name = this.activeName ?? ''): void {
    const a = this.get(name);
    const i = this.merged.indexOf(name);
    if (i < 0) return;
    this.addDelta(a, -1);
    this.merged.splice(i, 1);
  }

  unmergeAll(): void {
    for (const name of [...this.merged].reverse()) this.unmerge(name);
  }

  private addDelta(a: Adapter, sign: 1 | -1): void {
    for (const [path, f] of a.modules) {
      const key = this.byName.get(path)!.weightKey;
      // [d_in, d_out]
      const next = tf.tidy(() => tf.add(this.store.get(key), tf.mul(tf.matMul(f.At, f.Bt), sign * f.scaling)));
      this.store.replace(key, next);
    }
  }

  /**
   * The linear op, for use inside the model's tf.tidy. x: [N, d_in] → [N, d_out]. The branch of
   * `ctx.adapter` (default: the active one) is added unless it is merged or `useAdapter` is false.
   */
  linear(moduleName: string, x: tf.Tensor2D, ctx: LinearContext = {}): tf.Tensor2D {
    const m = this.byName.get(moduleName);
    if (!m) throw new Error(`no linear module ${moduleName}`);
    const W = this.store.get(m.weightKey) as tf.Tensor2D;
    const bias = m.biasKey ? this.store.get(m.biasKey) : null;
    const f = this.activeFactors(moduleName, ctx);
    const p = f ? this.get(ctx.adapter ?? this.activeName!).config.lora_dropout : 0;
    const dropout = ctx.training === true && p > 0;
    // Frozen base, no dropout: one op that saves only x and x·Aᵀ and leaves no packed copy of W.
    if (!this.store.trainable && !dropout) return frozenLoraLinear(x, W, bias, f ?? null, ctx.leanWeights ?? true);
    // Full mode (W and b get gradients) or dropout: composed from primitives.
    let y = this.store.trainable ? matMulPlain(x, W, 'both') : frozenLinear(x, W); // [N, d_out]
    if (bias) y = tf.add(y, bias) as tf.Tensor2D;
    if (!f) return y;
    const xd = dropout ? (tf.dropout(x, p, undefined, ctx.nextSeed?.()) as tf.Tensor2D) : x;
    const delta = matMulPlain(matMulPlain(xd, f.At), f.Bt); // [N, r] → [N, d_out]
    return tf.add(y, tf.mul(delta, f.scaling)) as tf.Tensor2D;
  }

  /** The factors of `ctx.adapter` (default: the active adapter) on this module, unless skipped or merged. */
  private activeFactors(moduleName: string, ctx: LinearContext): ModuleFactors | undefined {
    const name = ctx.adapter ?? this.activeName;
    if (ctx.useAdapter === false || name === null || this.isMerged(name)) return undefined;
    return this.get(name).modules.get(moduleName);
  }

  /**
   * An adapter's factors as variables (what a LoRA trainer updates), Aᵀ then Bᵀ per module. Default: the
   * active one.
   */
  variables(name = this.activeName): { name: string; variable: tf.Variable }[] {
    if (name === null) throw new UserFacingError('no active adapter to train');
    if (this.isMerged(name)) throw new UserFacingError(`adapter "${name}" is merged: unmerge it before training`);
    return [...this.get(name).modules].flatMap(([path, f]) => [
      { name: `${path}.lora_A`, variable: f.At },
      { name: `${path}.lora_B`, variable: f.Bt },
    ]);
  }

  /** The adapter as plain data in PEFT layout. */
  async export(name = this.activeName ?? ''): Promise<AdapterWeights> {
    const a = this.get(name);
    const modules = new Map<string, LoraModuleWeights>();
    for (const [path, f] of a.modules) {
      const m = this.byName.get(path)!;
      const At = (await f.At.data()) as Float32Array;
      const Bt = (await f.Bt.data()) as Float32Array;
      modules.set(path, {
        A: { shape: [f.r, m.dIn], data: transposeHost(At, m.dIn, f.r) },
        B: { shape: [m.dOut, f.r], data: transposeHost(Bt, f.r, m.dOut) },
        r: f.r,
        alpha: f.alpha,
        scaling: f.scaling,
      });
    }
    return { config: structuredClone(a.config), modules };
  }

  /** Add an adapter from plain data (checked by module name and shape) and make it active. */
  import(name: string, weights: AdapterWeights): void {
    if (this.adapters.has(name)) throw new UserFacingError(`an adapter named "${name}" already exists`);
    const problems: string[] = [];
    for (const [path, w] of weights.modules) {
      const m = this.byName.get(path);
      if (!m) {
        problems.push(`${path} is not a linear layer of this model`);
        continue;
      }
      if (!sameShape(w.A, [w.r, m.dIn]))
        problems.push(`${path}.lora_A has shape [${w.A.shape}], expected [${w.r}, ${m.dIn}]`);
      if (!sameShape(w.B, [m.dOut, w.r]))
        problems.push(`${path}.lora_B has shape [${w.B.shape}], expected [${m.dOut}, ${w.r}]`);
    }
    if (weights.modules.size === 0) problems.push('the adapter has no modules');
    if (problems.length) throw new UserFacingError(`adapter "${name}" does not fit this model: ${problems.join('; ')}`);
    const modules = new Map<string, ModuleFactors>();
    for (const [path, w] of weights.modules)
      modules.set(path, makeFactors(this.byName.get(path)!, { ...w, A: w.A.data, B: w.B.data }));
    this.adapters.set(name, {
      config: { ...structuredClone(weights.config), fan_in_fan_out: this.fanInFanOut },
      modules,
    });
    this.activeName = name;
  }

  /**
   * A new adapter (made active) from a weighted combination of existing ones (PEFT
   * `add_weighted_adapter`): "cat" is exact, "svd" truncates Σ wᵢ·ΔWᵢ to `rank` and returns the
   * Frobenius error per module.
   */
  async combine(
    newName: string,
    sources: { name: string; weight: number }[],
    method: 'cat' | 'svd',
    rank?: number,
  ): Promise<{ errors?: Map<string, number> }> {
    if (this.adapters.has(newName)) throw new UserFacingError(`an adapter named "${newName}" already exists`);
    const inputs = [];
    for (const s of sources) inputs.push({ adapter: await this.export(s.name), weight: s.weight });
    if (method === 'cat') {
      this.import(newName, combineCat(inputs));
      return {};
    }
    if (rank === undefined) throw new UserFacingError('the svd combination needs a target rank');
    const c = combineSvd(inputs, rank);
    this.import(newName, c.adapter);
    return { errors: c.errors };
  }

  /** Parameters of one adapter: Σ r·(d_in + d_out). */
  paramCount(name: string): number {
    let n = 0;
    for (const [path, f] of this.get(name).modules) {
      const m = this.byName.get(path)!;
      n += f.r * (m.dIn + m.dOut);
    }
    return n;
  }

  /**
   * PEFT's numbers: trainable = the active adapter's parameters; all = base + every adapter.
   * @param baseCount parameters of the base model (tied embeddings once).
   */
  trainableParameters(baseCount: number): TrainableParameters {
    const trainable = this.activeName === null ? 0 : this.paramCount(this.activeName);
    const all = baseCount + this.names().reduce((n, a) => n + this.paramCount(a), 0);
    return { trainable, all, line: formatPeftLine(trainable, all) };
  }

  dispose(): void {
    for (const a of this.adapters.values()) for (const f of a.modules.values()) disposeFactors(f);
    this.adapters.clear();
    this.merged.length = 0;
    this.activeName = null;
  }
}

function sameShape(t: HostTensor, shape: number[]): boolean {
  return (
    t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) && t.data.length === shape[0] * shape[1]
  );
}

function makeFactors(
  m: LinearModule,
  w: { A: Float32Array; B: Float32Array; r: number; alpha: number; scaling: number },
): ModuleFactors {
  const At = tf.tensor2d(transposeHost(w.A, w.r, m.dIn), [m.dIn, w.r]);
  const Bt = tf.tensor2d(transposeHost(w.B, m.dOut, w.r), [w.r, m.dOut]);
  const f = { At: tf.variable(At, true), Bt: tf.variable(Bt, true), r: w.r, alpha: w.alpha, scaling: w.scaling };
  tf.dispose([At, Bt]);
  return f;
}

function disposeFactors(f: ModuleFactors): void {
  tf.dispose([f.At, f.Bt]);
}
