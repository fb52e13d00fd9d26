import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { meanLastAxis } from '../meanLastAxis';
import { tf } from '../tf';
import { webgpuForTests } from '../webgpuTests';
import { countGpuWork, kernelTimes } from './gpuCounters';

const gpu = await webgpuForTests('gpuCounters.test.ts');

describe('GPU work counters on webgpu', () => {
  it.skipIf(!gpu.ok)(
    'count dispatches, uploads and read-backs; dry mode counts the same without running; tfjs ones stay off the bus',
    async () => {
      await selectBackend({ force: 'webgpu' });
      const a = tf.tensor2d(
        Array.from({ length: 64 * 48 }, (_, i) => i % 7),
        [64, 48],
      );
      const b = tf.tensor2d(
        Array.from({ length: 48 * 32 }, (_, i) => i % 5),
        [48, 32],
      );
      await a.data(); // not counted below: already on the host side
      const work = async (dry: boolean) =>
        countGpuWork(async () => {
          const c = tf.tidy(() => tf.add(tf.matMul(a, b), 1));
          const v = await c.data();
          c.dispose();
          return v;
        }, dry);
      const real = await work(false);
      expect(real.work.dispatches).toBe(2); // MatMul, Add
      expect(real.work.uploads).toBe(3); // a, b, the scalar 1
      expect(real.work.uploadBytes).toBe(4 * (64 * 48 + 48 * 32 + 1));
      expect(real.work.readbacks).toBe(1);
      expect(real.work.readbackBytes).toBe(4 * 64 * 32);
      const check = tf.tidy(() => tf.add(tf.matMul(a, b), 1));
      expect(real.result).toEqual(await check.data()); // dataSync needs OffscreenCanvas, absent in Node
      check.dispose();
      const dry = await work(true);
      expect(dry.work.dispatches).toBe(2);
      expect([...dry.result].every((x) => x === 0)).toBe(true); // nothing ran
      expect((await work(false)).work.dispatches).toBe(2); // and real work runs again after
      // tfjs's Mean gradient uploads ones [N, C]; meanLastAxis's does not.
      const x = tf.tidy(() => tf.add(tf.zeros([64, 48]), 1)); // on the device
      const gradUploads = async (mean: (t: tf.Tensor) => tf.Tensor) =>
        (
          await countGpuWork(async () => {
            const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(mean(t))))(x);
            await g.data();
            g.dispose();
          })
        ).work.uploadBytes;
      expect(await gradUploads((t) => tf.mean(t, -1, true))).toBeGreaterThanOrEqual(4 * 64 * 48);
      expect(await gradUploads(meanLastAxis)).toBeLessThan(4 * 64 * 2); // only [N, 1] and scalars
      const k = await kernelTimes(async () => {
        const c = tf.matMul(a, b);
        await c.data();
        c.dispose();
      });
      expect(k.byKernel.map((e) => e.kernel)).toEqual(['BatchMatMul']);
      tf.dispose([a, b, x]);
    },
  );
});
