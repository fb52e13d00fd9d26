/**
 * For unit tests: whether the engine's reference tests can also run on webgpu in this Node
 * process (Dawn with a Vulkan driver: SwiftShader in CI). Where no adapter appears, the webgpu
 * cases are skipped and the reason is printed once per file. `LOWRANK_WEBGPU_TESTS=0` skips them.
 */
import { installNodeWebGpu } from './backendNode';

export interface WebGpuForTests {
  ok: boolean;
  /** The driver used, or why the webgpu cases are skipped. */
  why: string;
}

let cached: Promise<WebGpuForTests> | null = null;

export function webgpuForTests(file: string): Promise<WebGpuForTests> {
  cached ??= (async () => {
    if (process.env.LOWRANK_WEBGPU_TESTS === '0') return { ok: false, why: 'LOWRANK_WEBGPU_TESTS=0' };
    const r = await installNodeWebGpu();
    return r.ok ? { ok: true, why: r.driver } : { ok: false, why: r.reason };
  })();
  return cached.then((g) => {
    console.log(g.ok ? `${file}: webgpu cases run on ${g.why}` : `${file}: webgpu cases skipped: ${g.why}`);
    return g;
  });
}
