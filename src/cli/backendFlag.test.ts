import { describe, expect, it } from 'vitest';
import { backendLine, takeBackendFlag } from './backendFlag';

describe('--backend', () => {
  it('is taken out of argv in both spellings; the rest stays in order', () => {
    expect(takeBackendFlag(['--base', 'b', '--backend', 'cpu', '--steps', '3'])).toEqual({
      backend: 'cpu',
      rest: ['--base', 'b', '--steps', '3'],
    });
    expect(takeBackendFlag(['--backend=webgpu'])).toEqual({ backend: 'webgpu', rest: [] });
    expect(takeBackendFlag(['--text', 'x'])).toEqual({ backend: undefined, rest: ['--text', 'x'] });
  });

  it('rejects names the CLI does not run, and a missing value', () => {
    expect(() => takeBackendFlag(['--backend', 'webgl'])).toThrow(/must be one of webgpu, wasm, cpu, got "webgl"/);
    expect(() => takeBackendFlag(['--backend'])).toThrow(/needs a value/);
    expect(() => takeBackendFlag(['--backend', '--steps', '2'])).toThrow(/needs a value/);
  });

  it('prints the backend, adapter, driver and why anything before it was skipped', () => {
    const gpu = {
      name: 'webgpu' as const,
      adapter: { vendor: 'google', architecture: 'swiftshader', description: '' },
      driver: 'SwiftShader (/usr/lib/chromium/vk_swiftshader_icd.json)',
      skipped: [],
      forced: true,
    };
    expect(backendLine(gpu, 'webgpu')).toBe(
      'backend: webgpu (google swiftshader; driver SwiftShader (/usr/lib/chromium/vk_swiftshader_icd.json))',
    );
    const fell = {
      name: 'wasm' as const,
      skipped: [
        { backend: 'webgpu' as const, reason: 'WebGPU unavailable in Node: no adapter' },
        { backend: 'webgl' as const, reason: 'WebGL unavailable' },
      ],
      forced: false,
    };
    expect(backendLine(fell, 'webgpu')).toBe(
      'backend: wasm, not webgpu as asked (skipped webgpu: WebGPU unavailable in Node: no adapter)',
    );
    expect(backendLine({ name: 'cpu', skipped: [], forced: true }, 'cpu')).toBe('backend: cpu');
  });
});
