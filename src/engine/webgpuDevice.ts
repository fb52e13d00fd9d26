/**
 * The tfjs webgpu backend on a device created with the adapter's own limits. tfjs-backend-webgpu
 * 4.22's factory asks for six of them (maxBufferSize, maxStorageBufferBindingSize, workgroup
 * sizes) but leaves maxStorageBuffersPerShaderStage at the default 8, the limit its Concat splits
 * by; this factory also asks for that and the uniform binding size, and uses the adapter that
 * selectBackend reported (tfjs's own factory requests a second one).
 */
import { tf } from './tf';

/** Limits requested at the adapter's value (absent ones are left to the default). */
export const REQUESTED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxUniformBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
] as const;

/** The features tfjs's own factory asks for when present (timestamps make tf.profile's kernel times real). */
const FEATURES = ['timestamp-query', 'bgra8unorm-storage'] as const;

type Limits = Record<string, number | undefined>;
type AdapterLike = {
  limits: Limits;
  features: { has(name: string): boolean };
  info?: unknown;
  requestDevice(desc: { requiredFeatures: string[]; requiredLimits: Record<string, number> }): Promise<unknown>;
};

/** requiredLimits for requestDevice: every REQUESTED_LIMITS entry the adapter reports. */
export function requiredLimitsOf(limits: Limits): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of REQUESTED_LIMITS) {
    const v = limits[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

/**
 * Make tfjs create its webgpu backend from `adapter` with the adapter's limits. A backend that
 * is already initialised keeps its device (one adapter gives one device). Import
 * @tensorflow/tfjs-backend-webgpu first (it registers the kernels).
 */
export async function registerWebGpuFactory(adapter: AdapterLike): Promise<void> {
  if ((tf.engine().registry as Record<string, unknown>).webgpu) return;
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const requiredFeatures = FEATURES.filter((f) => adapter.features.has(f));
      const device = await adapter.requestDevice({
        requiredFeatures,
        requiredLimits: requiredLimitsOf(adapter.limits),
      });
      return new WebGPUBackend(device as GPUDevice, adapter.info as GPUAdapterInfo);
    },
    3, // tfjs's own priority for webgpu
  );
}
