/**
 * A model's base weights on the device, by name. Frozen stores hold plain tensors (never
 * tf.variables: no gradient, no optimizer state); trainable stores (full fine-tuning) hold
 * variables. One owner: the store disposes what it holds.
 */
import { tf } from '../tf';
import { sizeOf, type HostTensor, type TensorMap } from '../types';

export class ParamStore {
  private readonly map = new Map<string, tf.Tensor>();

  private constructor(readonly trainable: boolean) {}

  /** Upload host weights (copied) in the map's order. */
  static fromHost(weights: TensorMap, trainable: boolean): ParamStore {
    const s = new ParamStore(trainable);
    for (const [name, t] of weights) {
      const init = tf.tensor(t.data, t.shape, 'float32');
      s.map.set(name, trainable ? tf.variable(init, true) : init);
      if (trainable) init.dispose();
    }
    return s;
  }

  /**
   * Takes ownership of tensors already on the device (the streaming loader's), in the map's
   * order. Trainable stores wrap each in a variable (sharing its buffer until the first assign).
   */
  static fromTensors(tensors: Map<string, tf.Tensor>, trainable: boolean): ParamStore {
    const s = new ParamStore(trainable);
    for (const [name, t] of tensors) {
      s.map.set(name, trainable ? tf.variable(t, true) : tf.keep(t));
      if (trainable) t.dispose();
    }
    return s;
  }

  /** A copy on the device (no host round trip), frozen or trainable. */
  clone(trainable: boolean): ParamStore {
    const s = new ParamStore(trainable);
    // A variable made from a tensor shares its buffer until the first assign, which swaps in a
    // new buffer: the source is never written through.
    for (const [name, t] of this.map) s.map.set(name, trainable ? tf.variable(t, true) : tf.keep(t.clone()));
    return s;
  }

  get(name: string): tf.Tensor {
    const t = this.map.get(name);
    if (!t) throw new Error(`ParamStore: no tensor named ${name}`);
    return t;
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  keys(): string[] {
    return [...this.map.keys()];
  }

  /** Replace a tensor's value (takes ownership of `t`). Frozen: swap and dispose; trainable: assign. */
  replace(name: string, t: tf.Tensor): void {
    const old = this.get(name);
    if (this.trainable) {
      (old as tf.Variable).assign(t);
      t.dispose();
    } else {
      this.map.set(name, tf.keep(t));
      old.dispose();
    }
  }

  /** The trainable variables (empty for a frozen store). */
  variables(): tf.Variable[] {
    return this.trainable ? ([...this.map.values()] as tf.Variable[]) : [];
  }

  /** Number of scalar parameters. */
  count(): number {
    let n = 0;
    for (const t of this.map.values()) n += t.size;
    return n;
  }

  /** Read every tensor back (awaits each, safe on webgpu). */
  async toHost(): Promise<TensorMap> {
    const out: TensorMap = new Map();
    for (const [name, t] of this.map) out.set(name, await readHost(t));
    return out;
  }

  dispose(): void {
    for (const t of this.map.values()) t.dispose();
    this.map.clear();
  }
}

/** A tensor's values as plain data (a fresh Float32Array) with its shape. */
export async function readHost(t: tf.Tensor): Promise<HostTensor> {
  const data = (await t.data()) as Float32Array;
  return { shape: [...t.shape], data: data.length === sizeOf(t.shape) ? new Float32Array(data) : data };
}
