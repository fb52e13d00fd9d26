/**
 * Node only: gives Node a `navigator.gpu` through Dawn's Node binding (the optional `webgpu`
 * package), so tfjs-backend-webgpu runs unchanged in the CLI, the bench and the unit tests.
 * backend.ts imports this file dynamically and only in Node; the browser build replaces it by
 * `backendNode.browser.ts` (scripts/vitePlugins.ts), so nothing here reaches a page.
 *
 * Driver choice: VK_ICD_FILENAMES when set (the user's choice); otherwise the system's Vulkan
 * drivers (a real GPU); when they give no adapter, SwiftShader (software Vulkan) from Debian's
 * chromium package, found by path. The Vulkan loader reads VK_ICD_FILENAMES each time Dawn
 * creates an instance, so setting it here before the second `create()` takes effect.
 *
 * `LOWRANK_DAWN_OPTIONS` passes options to Dawn's `create()`, space-separated (e.g. `adapter=…`,
 * `enable-dawn-features=…`); `backend=null` gives Dawn's null device, which records every command
 * and executes none: the bench counts dispatches at shapes SwiftShader cannot run in time.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { errorMessage } from './types';

/** Where Debian's (and Ubuntu's) chromium packages put SwiftShader's Vulkan ICD. */
export const SWIFTSHADER_ICD_PATHS = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/usr/lib64/chromium-browser/vk_swiftshader_icd.json',
];

export type NodeGpuResult =
  { ok: true; driver: string; software: boolean } | { ok: false; reason: string; tried: string[] };

/** What the `webgpu` package exports (Dawn's Node binding). */
export interface DawnModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

/** A Dawn instance with an adapter, and which driver gave it. */
export type DriverChoice =
  | { ok: true; gpu: GPU; adapter: GPUAdapter; driver: string; software: boolean }
  | { ok: false; reason: string; tried: string[] };

let installed: Promise<NodeGpuResult> | null = null;

/** The first ICD file of `candidates` that exists, or null. */
export function findSwiftShaderIcd(candidates: readonly string[] = SWIFTSHADER_ICD_PATHS): string | null {
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Install `navigator.gpu` (and the WebGPU globals: GPUBufferUsage, …) from Dawn, once per process.
 * Resolves with the driver that gave an adapter, or with every reason why none did. Never throws.
 */
export function installNodeWebGpu(): Promise<NodeGpuResult> {
  installed ??= install();
  return installed;
}

async function install(): Promise<NodeGpuResult> {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (g.navigator?.gpu) return { ok: true, driver: 'navigator.gpu already present', software: false };
  let dawn: DawnModule;
  try {
    // The `webgpu` package is optional: a missing prebuilt binary must not break cpu or wasm.
    dawn = (await import('webgpu')) as unknown as DawnModule;
  } catch (e) {
    return {
      ok: false,
      reason: `the optional "webgpu" package (Dawn for Node) did not load: ${errorMessage(e)}`,
      tried: [],
    };
  }
  // Dawn's Vulkan loader complains (and some drivers fail) without a runtime dir.
  process.env.XDG_RUNTIME_DIR ||= tmpdir();
  const c = await chooseDriver(dawn, process.env, findSwiftShaderIcd);
  if (!c.ok) return c;
  Object.assign(globalThis, dawn.globals);
  // Node ≥ 21 has a getter-only `navigator` global: define ours over it.
  const nav = { ...(g.navigator ?? {}), gpu: c.gpu };
  Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true, writable: true });
  return { ok: true, driver: c.driver, software: c.software };
}

/**
 * Which Vulkan driver to use: `env.VK_ICD_FILENAMES` when set; else the system's drivers; else
 * SwiftShader from `findIcd()` (setting `env.VK_ICD_FILENAMES` to it, as the loader reads it there).
 */
export async function chooseDriver(
  dawn: DawnModule,
  env: Record<string, string | undefined>,
  findIcd: () => string | null,
): Promise<DriverChoice> {
  const tried: string[] = [];
  const options = (env.LOWRANK_DAWN_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  const attempt = async (driver: string): Promise<DriverChoice | null> => {
    try {
      const gpu = dawn.create(options);
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (adapter) {
        const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
        const software =
          info.isFallbackAdapter === true ||
          /swiftshader|llvmpipe|lavapipe|null device/i.test(driver + info.description);
        return { ok: true, gpu, adapter, driver, software };
      }
      tried.push(`${driver}: no adapter`);
    } catch (e) {
      tried.push(`${driver}: ${errorMessage(e)}`);
    }
    return null;
  };
  const fail = (): DriverChoice => ({
    ok: false,
    reason: `${tried.join('; ')} (Dawn needs the Vulkan loader, Debian's libvulkan1, and a Vulkan driver)`,
    tried,
  });
  if (options.includes('backend=null')) return (await attempt('Dawn null device (executes nothing)')) ?? fail();
  if (env.VK_ICD_FILENAMES) return (await attempt(`VK_ICD_FILENAMES=${env.VK_ICD_FILENAMES}`)) ?? fail();
  const system = await attempt('system Vulkan drivers');
  if (system) return system;
  const icd = findIcd();
  if (!icd) {
    tried.push(`SwiftShader: none of ${SWIFTSHADER_ICD_PATHS.join(', ')} exists (Debian: apt-get install chromium)`);
    return fail();
  }
  env.VK_ICD_FILENAMES = icd;
  const swift = await attempt(`SwiftShader (${icd})`);
  if (!swift) delete env.VK_ICD_FILENAMES;
  return swift ?? fail();
}
