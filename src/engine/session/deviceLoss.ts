/**
 * Noticing that the compute device is gone, and where to go next. A WebGPU device can be lost at
 * any time (driver reset, another tab, the GPU process crashing, `device.destroy()`); tfjs then
 * fails or never answers. The watcher here turns that into a promise; `fallbackAfter` names the
 * next backend in the usual order (webgpu → webgl → wasm → cpu).
 */
import { BACKENDS, type BackendName } from '../backend';
import { tf } from '../tf';
import { UserFacingError } from '../types';

type LostInfo = { reason?: string; message?: string };
type GpuDeviceLike = { lost?: Promise<LostInfo>; destroy?: () => void };

/** The tfjs webgpu backend's GPUDevice while webgpu is the current backend, else null. */
function webgpuDevice(): GpuDeviceLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GpuDeviceLike }).device ?? null;
}

/**
 * Watches the current backend's WebGPU device (on other backends it never fires): `lost` says
 * why once it is gone, `race` fails an operation that is still waiting on it. Make a new watch
 * after switching backends.
 */
export class DeviceWatch {
  /** Why the device was lost, once it was. */
  lost: string | null = null;
  private readonly waiting = new Set<(reason: string) => void>();

  constructor() {
    webgpuDevice()?.lost?.then((info) => {
      this.lost = `the WebGPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''})`;
      for (const fail of [...this.waiting]) fail(this.lost);
      this.waiting.clear();
    });
  }

  /** Call `listener` once the device is lost (at once if it already is). */
  onLost(listener: (reason: string) => void): void {
    if (this.lost) listener(this.lost);
    else this.waiting.add(listener);
  }

  /**
   * `p`, unless the device is lost first: then a DeviceLostError (a read-back from a lost device
   * may never answer). Listeners are removed when `p` settles, so long runs hold nothing.
   */
  race<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = (reason: string) => reject(new DeviceLostError(reason));
      if (this.lost) {
        p.catch(() => {}); // its failure is expected now and reported as the loss
        fail(this.lost);
        return;
      }
      this.waiting.add(fail);
      p.then(
        (v) => {
          this.waiting.delete(fail);
          resolve(v);
        },
        (e: unknown) => {
          this.waiting.delete(fail);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }
}

/** Destroy the current WebGPU device (what a driver reset does), to test recovery. */
export function destroyWebGpuDevice(): void {
  const device = webgpuDevice();
  if (!device?.destroy)
    throw new UserFacingError(`device loss can only be simulated on webgpu (the backend is ${tf.getBackend()})`);
  device.destroy();
}

/** The backend to try after `from` failed, or null when none is left. */
export function fallbackAfter(from: BackendName): BackendName | null {
  return BACKENDS[BACKENDS.indexOf(from) + 1] ?? null;
}

/** Thrown (by a race) when the device was lost while an operation was waiting on it. */
export class DeviceLostError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DeviceLostError';
  }
}

/**
 * Whether an error during training means the backend failed (then the run moves to another
 * backend) rather than the input or the settings (then it is the user's to fix).
 */
export function isBackendFailure(e: unknown): boolean {
  return !(e instanceof UserFacingError);
}
