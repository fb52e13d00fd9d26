/**
 * The global L2 norm of many gradients, √(Σᵢ ‖gᵢ‖²), in a form every backend can run.
 * tfjs-webgpu 4.22's AddN binds all its inputs in one shader, and a device allows only
 * maxStorageBuffersPerShaderStage storage buffers per stage (8 by default, 12 on SwiftShader):
 * an AddN over 24 LoRA factors failed pipeline validation there and the whole command buffer it
 * was in was dropped (losses read 0). So partial sums go in chunks that fit the smallest device.
 */
import { tf } from '../tf';

/** Inputs per AddN: the spec's minimum of 8 storage buffers per stage, less one for the output. */
export const MAX_ADDN_INPUTS = 7;

/** Σ of scalars (or same-shaped tensors) with no AddN wider than MAX_ADDN_INPUTS. Call inside tf.tidy. */
export function addNChunked(xs: tf.Tensor[]): tf.Tensor {
  if (xs.length === 0) throw new Error('addNChunked needs at least one tensor');
  let level = xs;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += MAX_ADDN_INPUTS) {
      const chunk = level.slice(i, i + MAX_ADDN_INPUTS);
      next.push(chunk.length === 1 ? chunk[0] : tf.addN(chunk));
    }
    level = next;
  }
  return level[0];
}

/** √(Σᵢ Σ gᵢ²) as a scalar tensor. Call inside tf.tidy. */
export function globalNorm(grads: tf.Tensor[]): tf.Scalar {
  return tf.sqrt(addNChunked(grads.map((x) => tf.sum(tf.square(x))))) as tf.Scalar;
}
