/**
 * Compute backend selection: webgpu → webgl → wasm → cpu, or one forced by name.
 * Runs in a page, a Worker and Node. In Node, webgpu comes from Dawn (the optional `webgpu`
 * package, through backendNode.ts, imported only there) and webgl never exists.
 */
import { tf } from './tf';
import { errorMessage } from './types';
import { registerWebGpuFactory } from './webgpuDevice';
import { shareIdentityOnWasm } from './wasmKernels';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function isBackendName(value: string | null | undefined): value is BackendName {
  return value != null && (BACKENDS as readonly string[]).includes(value);
}

/** Why a backend before the chosen one was skipped, in words a user can act on. */
export interface BackendSkip {
  backend: BackendName;
  reason: string;
}

export interface BackendInfo {
  /** The backend tfjs now runs on. */
  name: BackendName;
  /** For webgpu: the adapter's vendor and architecture as the browser reports them. */
  adapter?: { vendor: string; architecture: string; description: string };
  /**
   * For webgpu: limits of the device tfjs runs on (sizes in bytes), created with the adapter's own
   * limits rather than the defaults (256/128 MiB, 8 storage buffers per stage): webgpuDevice.ts.
   */
  limits?: { maxBufferSize: number; maxStorageBufferBindingSize: number; maxStorageBuffersPerShaderStage: number };
  /** For webgpu in Node: which Vulkan driver Dawn used (e.g. "SwiftShader (/usr/lib/chromium/…)"). */
  driver?: string;
  /** Backends tried before `name`, each with the reason it was not used. */
  skipped: BackendSkip[];
  /** True when `name` was requested explicitly (e.g. `?backend=wasm`). */
  forced: boolean;
}

export interface SelectOptions {
  /** Use exactly this backend (still reporting why it failed, if it does). */
  force?: BackendName;
  /**
   * Where the tfjs wasm binaries are served from: a directory URL ending in '/', or a map from
   * file name to URL. Browsers must pass this (served from the app's own origin, never a CDN);
   * Node finds them in node_modules.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * Skip a software WebGPU adapter (SwiftShader, llvmpipe: `isFallbackAdapter`) unless webgpu is
   * forced: there wasm is many times faster (docs/toolchain.md). Used by the CLI's default.
   */
  preferHardware?: boolean;
}

type Gpu = { requestAdapter(opts?: object): Promise<GpuAdapterLike | null> };
type GpuAdapterLike = {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  limits: Record<string, number | undefined>;
  features: { has(name: string): boolean };
  requestDevice(desc: object): Promise<unknown>;
};
type WebGpuOk = { ok: true; adapter: BackendInfo['adapter']; limits?: BackendInfo['limits']; driver?: string };

function gpuOf(): Gpu | undefined {
  const nav = (globalThis as { navigator?: { gpu?: Gpu } }).navigator;
  return nav?.gpu;
}

/** Node (not a page or a Worker): no DOM and a `process` that names its Node version. */
export function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; document?: unknown };
  return typeof g.process?.versions?.node === 'string' && g.document === undefined;
}

/** In Node, install Dawn's navigator.gpu (once); resolves with the driver or why there is none. */
async function nodeGpu(): Promise<{ driver?: string; reason?: string }> {
  const { installNodeWebGpu } = await import('./backendNode');
  const r = await installNodeWebGpu();
  return r.ok ? { driver: r.driver } : { reason: `WebGPU unavailable in Node: ${r.reason}` };
}

function hasWebGl(): boolean {
  const g = globalThis as { OffscreenCanvas?: unknown; document?: unknown; WebGL2RenderingContext?: unknown };
  return g.WebGL2RenderingContext !== undefined || (g.OffscreenCanvas !== undefined && g.document !== undefined);
}

/** True for a software adapter: the spec's isFallbackAdapter, or a known CPU Vulkan driver by name. */
export function isSoftwareAdapter(info: GpuAdapterLike['info']): boolean {
  if (!info) return false;
  return (
    info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe/i.test(`${info.architecture} ${info.description}`)
  );
}

async function tryWebGpu(skipSoftware = false): Promise<WebGpuOk | { ok: false; reason: string }> {
  let driver: string | undefined;
  if (isNode()) {
    const n = await nodeGpu();
    if (n.reason) return { ok: false, reason: n.reason };
    driver = n.driver;
  }
  const gpu = gpuOf();
  if (!gpu) return { ok: false, reason: 'WebGPU unavailable: this browser has no navigator.gpu' };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { ok: false, reason: `WebGPU unavailable: requestAdapter failed (${String(e)})` };
  }
  if (!adapter) return { ok: false, reason: 'WebGPU unavailable: no adapter' };
  if (skipSoftware && isSoftwareAdapter(adapter.info)) {
    const what = [adapter.info?.vendor, adapter.info?.architecture].filter(Boolean).join(' ') || 'software';
    return { ok: false, reason: `only a software adapter (${what}), slower than wasm; force webgpu to use it` };
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  await registerWebGpuFactory(adapter);
  const ok = await tf.setBackend('webgpu').catch(() => false);
  if (!ok) return { ok: false, reason: 'WebGPU unavailable: tfjs could not create a device' };
  const info = adapter.info ?? {};
  const device = (tf.backend() as { device?: { limits?: Record<string, number> } }).device;
  const limits = device?.limits
    ? {
        maxBufferSize: device.limits.maxBufferSize,
        maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
        maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
      }
    : undefined;
  return {
    ok: true,
    adapter: {
      vendor: info.vendor || 'unknown vendor',
      architecture: info.architecture || 'unknown architecture',
      description: info.description ?? '',
    },
    limits,
    driver,
  };
}

async function trySimple(name: 'webgl' | 'wasm' | 'cpu', opts: SelectOptions): Promise<string | null> {
  if (name === 'webgl' && !hasWebGl()) return 'WebGL unavailable: no WebGL2 in this environment';
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Threaded wasm builds its worker from its own source text, which a minified bundle breaks
    // (docs/toolchain.md); on 2-core machines threads gained nothing anyway.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (opts.wasmPaths) wasm.setWasmPaths(opts.wasmPaths as string);
    shareIdentityOnWasm(); // saved tensors share buffers instead of being copied
  }
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `${name} failed to initialise`;
    // A backend can register yet fail on first use (lost WebGL context); prove it computes.
    const probe = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])));
    const v = (await probe.data())[0];
    probe.dispose();
    if (v !== 6) return `${name} computed a wrong result`;
    return null;
  } catch (e) {
    return `${name} failed: ${errorMessage(e)}`;
  }
}

/**
 * Pick and initialise a tfjs backend. Tries webgpu, webgl, wasm, cpu in that order (or only
 * `force`, falling back in order if it fails) and reports why any was skipped.
 */
export async function selectBackend(opts: SelectOptions = {}): Promise<BackendInfo> {
  const order: BackendName[] = opts.force
    ? [opts.force, ...BACKENDS.filter((b) => b !== opts.force && BACKENDS.indexOf(b) > BACKENDS.indexOf(opts.force!))]
    : [...BACKENDS];
  const skipped: BackendSkip[] = [];
  for (const name of order) {
    if (name === 'webgpu') {
      const r = await tryWebGpu(opts.preferHardware === true && opts.force !== 'webgpu');
      if (r.ok) {
        const extra = { ...(r.limits ? { limits: r.limits } : {}), ...(r.driver ? { driver: r.driver } : {}) };
        return { name, adapter: r.adapter, ...extra, skipped, forced: opts.force === name };
      }
      skipped.push({ backend: name, reason: r.reason });
    } else {
      const reason = await trySimple(name, opts);
      if (reason === null) return { name, skipped, forced: opts.force === name };
      skipped.push({ backend: name, reason });
    }
  }
  throw new Error(`No tfjs backend works here: ${skipped.map((s) => s.reason).join('; ')}`);
}

/** One line for a badge: "webgpu · nvidia ampere", "wasm (WebGPU unavailable: no adapter)". */
export function describeBackend(info: BackendInfo): string {
  const head = info.adapter ? `${info.name} · ${info.adapter.vendor} ${info.adapter.architecture}`.trim() : info.name;
  const why = info.skipped[0];
  return why && !info.forced ? `${head} (${why.reason})` : head;
}
