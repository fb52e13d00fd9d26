import { describe, expect, it } from 'vitest';
import { planHubModel } from '../../engine/hub/client';
import { listDeviceModels } from '../../engine/hub/deviceList';
import { downloadModel } from '../../engine/hub/download';
import { FakeHub } from '../../engine/testing/fakeHub';
import { loadStoredModel } from '../../engine/hub/files';
import { cacheModelStore } from './modelStore';

/** Cache Storage's surface as the store uses it, in memory (Node has no Cache API). */
class MemoryCache {
  readonly entries = new Map<string, Blob>();
  async match(url: string): Promise<Response | undefined> {
    const b = this.entries.get(url);
    return b ? new Response(b) : undefined;
  }
  async put(url: string, res: Response): Promise<void> {
    this.entries.set(url, await res.blob());
  }
  async keys(): Promise<Request[]> {
    return [...this.entries.keys()].map((u) => new Request(u));
  }
  async delete(req: Request): Promise<boolean> {
    return this.entries.delete(req.url);
  }
}

describe('the Cache Storage fallback store', () => {
  it('keeps a download byte-identical, resumes into it, lists it and deletes it', async () => {
    const cache = new MemoryCache();
    const store = cacheModelStore(cache as unknown as Cache, 'http://127.0.0.1:4173');
    const weights = new Uint8Array(20_000).map((_, i) => (i * 7) % 251);
    const hub = new FakeHub();
    hub.add('o/r', {
      files: { 'config.json': '{"model_type":"llama"}', 'tokenizer.json': '{}', 'model.safetensors': weights },
    });
    hub.dropAfter.set('model.safetensors', 12_000);
    const plan = await planHubModel({ repo: 'o/r', fetch: hub.fetch });
    await expect(downloadModel({ plan, store, fetch: hub.fetch, partBytes: 4096 })).rejects.toMatchObject({
      kind: 'network',
    });
    await downloadModel({ plan, store, fetch: hub.fetch });
    expect(hub.resolves('model.safetensors').map((q) => q.range)).toEqual([null, 'bytes=12000-']);
    const files = await loadStoredModel(store, 'o/r', 'main');
    expect(new Uint8Array(await files!.weights.get('model.safetensors')!.arrayBuffer())).toEqual(weights);
    expect(files!.config).toBe('{"model_type":"llama"}');
    expect(
      [...cache.entries.keys()].every((u) => u.startsWith('http://127.0.0.1:4173/__hub-models/models/o/r@main/')),
    ).toBe(true);
    expect((await listDeviceModels(store)).map((d) => [d.repo, d.stored, d.complete])).toEqual([['o/r', 20_024, true]]);
    await store.remove('o/r', 'main');
    expect(cache.entries.size).toBe(0);
    expect(await listDeviceModels(store)).toEqual([]);
  });
});
