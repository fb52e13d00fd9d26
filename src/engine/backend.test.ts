import { describe, expect, it } from 'vitest';
import { describeBackend, isBackendName, isNode, isSoftwareAdapter, selectBackend } from './backend';
import { installNodeWebGpu } from './backendNode';
import { tf } from './tf';

describe('selectBackend in Node', () => {
  it('tries webgpu through Dawn first; without an adapter falls back past webgl with reasons to wasm', async () => {
    expect(isNode()).toBe(true);
    const gpu = await installNodeWebGpu();
    const info = await selectBackend();
    if (gpu.ok) {
      // A Vulkan driver is here (SwiftShader in CI): webgpu, with the device at the adapter's limits.
      expect(info).toMatchObject({ name: 'webgpu', skipped: [], driver: gpu.driver });
      const adapter = await navigator.gpu.requestAdapter();
      expect(info.limits).toEqual({
        maxBufferSize: adapter!.limits.maxBufferSize,
        maxStorageBufferBindingSize: adapter!.limits.maxStorageBufferBindingSize,
        maxStorageBuffersPerShaderStage: adapter!.limits.maxStorageBuffersPerShaderStage,
      });
      expect(describeBackend(info)).toMatch(/^webgpu · \S+/);
    } else {
      console.log(`no WebGPU adapter in Node here: ${gpu.reason}`);
      expect(info.name).toBe('wasm');
      expect(info.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
      expect(info.skipped[0].reason).toMatch(/^WebGPU unavailable in Node/);
      expect(describeBackend(info)).toMatch(/^wasm \(WebGPU unavailable/);
    }
    expect(tf.getBackend()).toBe(info.name);
  });

  it('preferHardware skips a software adapter (SwiftShader) with the reason, unless webgpu is forced', async () => {
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'x', architecture: 'y', isFallbackAdapter: true })).toBe(true);
    const gpu = await installNodeWebGpu();
    const info = await selectBackend({ preferHardware: true });
    if (gpu.ok && gpu.software) {
      expect(info.name).toBe('wasm');
      expect(info.skipped[0]).toMatchObject({
        backend: 'webgpu',
        reason: expect.stringMatching(/^only a software adapter/),
      });
      expect((await selectBackend({ preferHardware: true, force: 'webgpu' })).name).toBe('webgpu');
    } else expect(info.name).not.toBe('cpu');
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
