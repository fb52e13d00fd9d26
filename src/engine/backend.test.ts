import { describe, expect, it } from 'vitest';
import { describeBackend, isBackendName, selectBackend } from './backend';
import { tf } from './tf';

describe('selectBackend in Node', () => {
  it('falls back past webgpu and webgl with reasons, and lands on wasm', async () => {
    const info = await selectBackend();
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
    expect(info.skipped[0].reason).toMatch(/^WebGPU unavailable/);
    expect(describeBackend(info)).toMatch(/^wasm \(WebGPU unavailable/);
  });

  it('honours a forced backend', async () => {
    const info = await selectBackend({ force: 'cpu' });
    expect(info).toMatchObject({ name: 'cpu', forced: true, skipped: [] });
    expect(describeBackend(info)).toBe('cpu');
  });

  it('a forced backend that fails falls back to the next one in order', async () => {
    const info = await selectBackend({ force: 'webgl' });
    expect(info.name).toBe('wasm');
    expect(info.skipped[0].backend).toBe('webgl');
  });

  it('recognises backend names', () => {
    expect(isBackendName('wasm')).toBe(true);
    expect(isBackendName('tpu')).toBe(false);
    expect(isBackendName(null)).toBe(false);
  });
});
