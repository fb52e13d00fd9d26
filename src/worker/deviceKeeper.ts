/**
 * What the Worker keeps off the device so that it can start over on another backend when the
 * device is lost: the checkpoint bytes given to load(), the dataset, host copies of every adapter
 * (and the base itself when a PiSSA adapter changed it). It also owns the backend choice and the
 * watch on the WebGPU device.
 */
import { selectBackend, type BackendInfo, type BackendName, type SelectOptions } from '../engine/backend';
import type { TextDataset } from '../engine/data/tasks';
import type { AdapterWeights } from '../engine/lora/types';
import { DeviceLostError, DeviceWatch, fallbackAfter } from '../engine/session/deviceLoss';
import { adapterMaxAbsDiff, HostAdapters } from '../engine/session/hostCopy';
import { LmSession } from '../engine/session/lmSession';
import type { BaseFiles, RunSnapshot } from '../engine/session/types';
import { errorMessage, UserFacingError } from '../engine/types';
import type { RecoveredEvent } from './events';

export class DeviceKeeper {
  backend: BackendInfo | null = null;
  watch = new DeviceWatch();
  files: BaseFiles | null = null;
  /** The base as on the device when a PiSSA adapter replaced W by its residual. */
  residual: BaseFiles | null = null;
  dataset: TextDataset | null = null;
  readonly host = new HostAdapters();
  private opts: SelectOptions = {};

  async init(opts: SelectOptions): Promise<BackendInfo> {
    this.opts = opts;
    this.backend = await selectBackend(opts);
    this.watch = new DeviceWatch();
    return this.backend;
  }

  /** A new checkpoint: forget the old one's files and adapters. */
  loaded(files: BaseFiles): void {
    this.files = files;
    this.residual = null;
    this.dataset = null;
    this.host.clear();
  }

  /**
   * Why the backend failed, in words: when a step threw on webgpu, the device's own loss report
   * (it may come a moment after the failed read-back) says more than the read-back's error.
   */
  async failureReason(e: unknown): Promise<string> {
    if (e instanceof DeviceLostError) return e.reason;
    const thrown = `training failed on ${this.backend?.name}: ${errorMessage(e)}`;
    if (this.backend?.name !== 'webgpu') return thrown;
    const lost = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 250);
      this.watch.onLost((reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
    return lost ? `${lost}; ${thrown}` : thrown;
  }

  /**
   * Switch to the backend after the current one (selectBackend falls further if that one fails
   * too). Throws `cause` when there is none left.
   */
  async fallBack(cause: unknown): Promise<{ from: BackendName; to: BackendInfo }> {
    const from = this.backend?.name ?? 'cpu';
    const next = fallbackAfter(from);
    if (!next) throw cause;
    const to = await selectBackend({ ...this.opts, force: next });
    this.backend = to;
    this.watch = new DeviceWatch();
    return { from, to };
  }

  /**
   * The kept checkpoint opened on the current backend with every host-copied adapter except
   * `skip` (re-activated and re-merged as they were) and the dataset.
   */
  async rebuild(skip: string | null): Promise<LmSession> {
    const files = this.residual ?? this.files;
    if (!files) throw new UserFacingError('no model is loaded yet');
    const s = await LmSession.load(files);
    try {
      this.host.restoreInto(s.workspace, skip);
      if (this.dataset) s.setDataset(this.dataset);
    } catch (e) {
      s.dispose();
      throw e;
    }
    return s;
  }
}

/**
 * Free a session whose backend failed. Its tensors live on the failed backend: disposing them
 * only drops tfjs's bookkeeping (a lost device's buffers are gone already), and any error from
 * that dead backend is beside the point now.
 */
export function disposeQuietly(s: LmSession | null): void {
  try {
    s?.dispose();
  } catch {
    /* the backend is gone; nothing left to free */
  }
}

/**
 * The event after a run resumed on `backend`, with a read-back check of the restored adapter
 * against its host snapshot (`race`: fails the read if this device goes too).
 */
export async function recoveredEvent(
  s: LmSession,
  snap: RunSnapshot | null,
  backend: BackendInfo,
  race: <T>(p: Promise<T>) => Promise<T>,
): Promise<RecoveredEvent> {
  if (!snap) {
    return {
      type: 'recovered',
      step: 0,
      backend,
      restoredMaxAbsDiff: null,
      message: `The run restarted from step 0 on ${backend.name} (the device was lost before its first snapshot).`,
    };
  }
  const diff =
    snap.mode === 'lora'
      ? adapterMaxAbsDiff(await race(s.workspace.adapterWeights(snap.adapterName!)), snap.weights as AdapterWeights)
      : null;
  const what = snap.mode === 'lora' ? `adapter "${snap.adapterName}"` : 'fine-tuned copy';
  const message =
    `Training continues on ${backend.name} from step ${snap.step}, the last snapshot: the ${what} was restored from its copy in memory. ` +
    `The optimizer's moments restart from zero, so the next few steps move less smoothly.`;
  return { type: 'recovered', step: snap.step, backend, restoredMaxAbsDiff: diff, message };
}
