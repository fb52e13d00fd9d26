/** Gradients of the loss w.r.t. the active adapter's factors, as plain data in PEFT layout. */
import { tf } from '../tf';
import { transposeHost } from '../lora/hostMath';
import type { HostTensor, TokenBatch } from '../types';
import type { CausalLm } from '../models/causalLm';

export interface LoraGradients {
  loss: number;
  /** Per module path: ∂loss/∂A [r, d_in] and ∂loss/∂B [d_out, r]. */
  modules: Map<string, { A: HostTensor; B: HostTensor }>;
}

/** One backward pass without an update (no dropout). For tests, the self-test and the Learn pages. */
export async function loraGradients(model: CausalLm, batch: TokenBatch): Promise<LoraGradients> {
  model.checkBatch(batch);
  const vars = model.adapters.variables();
  const { value, grads } = tf.tidy(() => {
    const r = tf.variableGrads(
      () => model.lossTensor(batch),
      vars.map((v) => v.variable),
    );
    return { value: r.value, grads: vars.map((v) => r.grads[v.variable.name] ?? tf.zerosLike(v.variable)) };
  });
  const loss = (await value.data())[0];
  const modules = new Map<string, { A: HostTensor; B: HostTensor }>();
  for (let i = 0; i < vars.length; i += 2) {
    const path = vars[i].name.replace(/\.lora_A$/, '');
    const [dIn, r] = grads[i].shape as [number, number]; // Aᵀ [d_in, r]
    const dOut = grads[i + 1].shape[1] as number; // Bᵀ [r, d_out]
    const gAt = (await grads[i].data()) as Float32Array;
    const gBt = (await grads[i + 1].data()) as Float32Array;
    modules.set(path, {
      A: { shape: [r, dIn], data: transposeHost(gAt, dIn, r) },
      B: { shape: [dOut, r], data: transposeHost(gBt, r, dOut) },
    });
  }
  value.dispose();
  grads.forEach((g) => g.dispose());
  return { loss, modules };
}
