import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { UserFacingError } from '../types';
import { DeviceWatch, fallbackAfter, isBackendFailure } from './deviceLoss';

describe('device loss helpers', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'cpu' });
  });

  it('falls back in the usual order and ends after cpu', () => {
    expect(fallbackAfter('webgpu')).toBe('webgl');
    expect(fallbackAfter('webgl')).toBe('wasm');
    expect(fallbackAfter('wasm')).toBe('cpu');
    expect(fallbackAfter('cpu')).toBeNull();
  });

  it("a user's mistake is not a backend failure; anything else is", () => {
    expect(isBackendFailure(new UserFacingError('bad batch'))).toBe(false);
    expect(isBackendFailure(new Error('mapAsync failed'))).toBe(true);
  });

  it('without a WebGPU device the watch never fires and race passes values and errors through', async () => {
    const watch = new DeviceWatch();
    expect(watch.lost).toBeNull();
    await expect(watch.race(Promise.resolve(3))).resolves.toBe(3);
    const mistake = new UserFacingError('bad');
    await expect(watch.race(Promise.reject(mistake))).rejects.toBe(mistake);
  });
});
