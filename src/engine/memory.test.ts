import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { memoryStats, tensorsLeftBy } from './memory';

describe('memory', () => {
  it('counts live tensors and what a function leaves behind', async () => {
    await tf.setBackend('cpu');
    const kept: tf.Tensor[] = [];
    const { leaked } = await tensorsLeftBy(() => {
      kept.push(tf.ones([4]));
      tf.tidy(() => {
        tf.add(tf.ones([2]), 1); // freed by tidy
      });
    });
    expect(leaked).toBe(1);
    const before = memoryStats();
    kept[0].dispose();
    expect(memoryStats().numTensors).toBe(before.numTensors - 1);
    expect(memoryStats().numBytes).toBe(before.numBytes - 16);
  });
});
