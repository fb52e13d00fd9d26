import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { webgpuForTests } from '../webgpuTests';
import { runEngineSelfTest } from './selfTest';

const gpu = await webgpuForTests('selfTest.test.ts');

describe.each(['cpu', 'wasm', 'webgpu'] as const)('engine self-test on %s', (backend) => {
  it.skipIf(backend === 'webgpu' && !gpu.ok)(
    'tfjs logits and LoRA gradients match the float64 reference',
    async () => {
      await selectBackend({ force: backend });
      const before = tf.memory().numTensors;
      const r = await runEngineSelfTest();
      expect(r.backend).toBe(backend);
      // Node's float32 kernels (Dawn's too: 1.5e-7 / 1.3e-6 on SwiftShader) agree with float64 far
      // tighter than the browser self-test demands.
      expect(r.maxLogitErr).toBeLessThan(1e-5);
      expect(r.maxGradErr).toBeLessThan(1e-4);
      expect(r.lossErr).toBeLessThan(1e-5);
      expect(r.ok).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      expect(r.models.map((m) => m.family)).toEqual(['gpt2', 'qwen2']);
      expect(r.checkpoint).toMatchObject({ ok: true, loadErr: 0 });
      expect(r.checkpoint.shards).toBeGreaterThan(2);
      console.log(
        `${backend} checkpoint: ${r.checkpoint.shards} BF16 shards, round trip ${r.checkpoint.roundTripErr.toExponential(2)}`,
      );
      for (const m of r.models)
        console.log(
          `${backend} ${m.family}: maxLogitErr ${m.maxLogitErr.toExponential(2)}, maxGradErr ${m.maxGradErr.toExponential(2)}, lossErr ${m.lossErr.toExponential(2)}`,
        );
      // webgpu runs on SwiftShader here: two families and the checkpoint check take ~30 s alone, more on a
      // busy machine.
    },
    240_000,
  );
});
