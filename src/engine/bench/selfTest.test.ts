import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { runEngineSelfTest } from './selfTest';

describe.each(['cpu', 'wasm'] as const)('engine self-test on %s', (backend) => {
  it('tfjs logits and LoRA gradients match the float64 reference', async () => {
    await selectBackend({ force: backend });
    const before = tf.memory().numTensors;
    const r = await runEngineSelfTest();
    expect(r.backend).toBe(backend);
    // Node's float32 kernels agree with float64 far tighter than the browser self-test demands.
    expect(r.maxLogitErr).toBeLessThan(1e-5);
    expect(r.maxGradErr).toBeLessThan(1e-4);
    expect(r.lossErr).toBeLessThan(1e-5);
    expect(r.ok).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    console.log(
      `${backend}: maxLogitErr ${r.maxLogitErr.toExponential(2)}, maxGradErr ${r.maxGradErr.toExponential(2)}, lossErr ${r.lossErr.toExponential(2)}`,
    );
  });
});
