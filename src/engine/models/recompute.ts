/**
 * Activation checkpointing for one transformer layer: the forward keeps only the layer's input;
 * the backward runs the layer again under its own gradient tape and returns the gradients of the
 * input and of the layer's trained variables. Peak activation memory becomes one layer's, not
 * all of them (tfjs keeps every saved tensor and every gradient until a backward pass ends), for
 * one extra forward of the layers. Dropout seeds drawn in the forward are replayed.
 *
 * tfjs 4.22 has no nested gradients inside a gradient function: engine.gradients() starts a
 * fresh tape only at depth 0 and clears `state.activeTape` when it ends, which would drop the
 * outer pass's tape. The outer tape is therefore put back after the inner pass; the model tests
 * (gradients against the float64 references, with and without recomputation) guard this.
 */
import { tf } from '../tf';

interface EngineInternals {
  state: { activeTape: unknown };
  gradients(
    f: () => tf.Tensor,
    xs: tf.Tensor[],
    dy?: tf.Tensor,
    allowNoGradients?: boolean,
  ): { value: tf.Tensor; grads: (tf.Tensor | undefined)[] };
}

/**
 * y = body(x, nextSeed), recomputed in the backward.
 * @param x [N, C] the layer's input
 * @param params the trained variables the layer reads (they get gradients)
 * @param nextSeed dropout seeds (drawn in the forward, replayed in the backward)
 */
export function recomputed(
  x: tf.Tensor2D,
  params: tf.Variable[],
  nextSeed: (() => number) | undefined,
  body: (x: tf.Tensor2D, nextSeed?: () => number) => tf.Tensor2D,
): tf.Tensor2D {
  const seeds: number[] = [];
  const record = nextSeed
    ? () => {
        const s = nextSeed();
        seeds.push(s);
        return s;
      }
    : undefined;
  const f = (...args: unknown[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    save([x]);
    const value = body(x, record);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const xs = saved[0] as tf.Tensor2D;
      const engine = tf.engine() as unknown as EngineInternals;
      const outerTape = engine.state.activeTape;
      let i = 0;
      const replay = () => seeds[i++];
      try {
        const { value: y, grads } = engine.gradients(() => body(xs, replay), [xs, ...params], dy, true);
        y.dispose();
        return grads.map((g, k) => g ?? tf.zerosLike(k === 0 ? xs : params[k - 1]));
      } finally {
        engine.state.activeTape = outerTape;
      }
    };
    return { value, gradFunc };
  };
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0])(x, ...params) as tf.Tensor2D;
}
