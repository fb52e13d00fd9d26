/** The "models on this device" list, from whatever a ModelStore holds. */
import { deviceModel, type DeviceModel } from './manifest';
import type { ModelStore } from './store';

/** Every stored model, newest first; a manifest that cannot be read is skipped, not fatal. */
export async function listDeviceModels(store: ModelStore): Promise<DeviceModel[]> {
  const all = await store.list();
  return all.map(deviceModel).sort((a, b) => b.updatedAt - a.updatedAt || a.repo.localeCompare(b.repo));
}

/** The stored copy of repo@revision, complete or partial, or undefined. */
export function findDeviceModel(list: DeviceModel[], repo: string, revision: string): DeviceModel | undefined {
  return list.find((d) => d.repo === repo && d.revision === revision);
}

/** Bytes of every model kept, complete or not. */
export const deviceBytes = (list: DeviceModel[]): number => list.reduce((a, d) => a + d.stored, 0);
