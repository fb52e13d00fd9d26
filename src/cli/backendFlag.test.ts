import { describe, expect, it } from 'vitest';
import { Args, commandUsage } from './args';
import { backendLine, parseBackend } from './backendFlag';
import { generate, score, train } from './commands';

describe('--backend', () => {
  it('is a train/score/generate flag in both spellings, parsed by the same Args as every flag', () => {
    expect(new Args(['--text', 't', '--out', 'o', '--backend', 'cpu', '--steps', '3'], train).str('backend')).toBe(
      'cpu',
    );
    expect(new Args(['--backend=webgpu', '--text', 'x', '--out', 'o'], train).str('backend')).toBe('webgpu');
    expect(commandUsage(score)).toContain('--backend webgpu|wasm|cpu');
    expect(() => new Args(['--backend'], generate)).toThrow(/needs a value/);
    expect(() => new Args(['--backend', '--steps', '2'], train)).toThrow(/needs a value/);
  });

  it('rejects names the CLI does not run', () => {
    expect(parseBackend(undefined)).toBeUndefined();
    expect(parseBackend('wasm')).toBe('wasm');
    expect(() => parseBackend('webgl')).toThrow(/must be one of webgpu, wasm, cpu, got "webgl"/);
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
