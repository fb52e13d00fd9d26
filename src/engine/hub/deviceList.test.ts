import { describe, expect, it } from 'vitest';
import { deviceBytes, findDeviceModel, listDeviceModels } from './deviceList';
import { reconcile, withPart } from './manifest';
import { MemoryModelStore } from './store';
import { loadStoredModel } from './files';

const plan = (repo: string, sizes: number[]) => ({
  repo,
  revision: 'main',
  commit: null,
  modelType: 'gpt2',
  files: sizes.map((size, i) => ({
    name: i === 0 ? 'config.json' : i === 1 ? 'tokenizer.json' : `w${i}.safetensors`,
    role: i === 0 ? ('config' as const) : i === 1 ? ('tokenizer' as const) : ('weights' as const),
    size,
    oid: null,
  })),
});

describe('models on this device', () => {
  it('lists complete and partial models newest first, with their sizes, and deletes them', async () => {
    const store = new MemoryModelStore();
    let a = reconcile(null, plan('o/a', [2, 2, 10]), 1).manifest;
    for (const f of a.files) {
      await store.writePart(
        'o/a',
        'main',
        f.name,
        0,
        new Blob([f.name === 'config.json' ? '{}' : f.name === 'tokenizer.json' ? '[]' : new Uint8Array(10)]),
      );
      a = withPart(a, f.name, f.size, null, 5);
    }
    await store.writeManifest(a);
    const b = withPart(reconcile(null, plan('o/b', [2, 2, 100]), 9).manifest, 'config.json', 2, null, 9);
    await store.writeManifest(b);
    const list = await listDeviceModels(store);
    expect(list.map((d) => [d.repo, d.stored, d.total, d.complete])).toEqual([
      ['o/b', 2, 104, false],
      ['o/a', 14, 14, true],
    ]);
    expect(deviceBytes(list)).toBe(16);
    expect(findDeviceModel(list, 'o/a', 'main')?.complete).toBe(true);
    const files = await loadStoredModel(store, 'o/a', 'main');
    expect(files?.config).toBe('{}');
    expect(files?.weights.get('w2.safetensors')?.size).toBe(10);
    await expect(loadStoredModel(store, 'o/b', 'main')).rejects.toMatchObject({ kind: 'truncated' });
    expect(await loadStoredModel(store, 'o/c', 'main')).toBeNull();
    await store.remove('o/a', 'main');
    expect((await listDeviceModels(store)).map((d) => d.repo)).toEqual(['o/b']);
    expect([...store.parts.keys()].some((k) => k.startsWith('o/a@'))).toBe(false);
  });
});
