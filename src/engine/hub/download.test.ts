import { describe, expect, it } from 'vitest';
import { planHubModel } from './client';
import { downloadModel } from './download';
import { FakeHub } from '../testing/fakeHub';
import { loadStoredModel } from './files';
import { HubError } from './hubErrors';
import { storedBytes } from './manifest';
import type { DownloadProgress } from './progress';
import { MemoryModelStore } from './store';

/** Deterministic bytes, different per seed. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const CONFIG = JSON.stringify({
  model_type: 'gpt2',
  n_layer: 2,
  n_embd: 8,
  n_head: 2,
  n_positions: 16,
  vocab_size: 10,
});
const TOKENIZER = JSON.stringify({ model: { type: 'BPE', vocab: {} } });

function shardedRepo() {
  const a = bytes(50_000, 1);
  const b = bytes(30_001, 2);
  const index = JSON.stringify({
    metadata: { total_size: 70_000 },
    weight_map: { 'h.1.w': 'model-00002-of-00002.safetensors', 'h.0.w': 'model-00001-of-00002.safetensors' },
  });
  return {
    a,
    b,
    files: {
      'config.json': CONFIG,
      'tokenizer.json': TOKENIZER,
      'tokenizer_config.json': '{}',
      'model.safetensors.index.json': index,
      'model-00001-of-00002.safetensors': a,
      'model-00002-of-00002.safetensors': b,
      'README.md': '# hi',
    },
  };
}

async function blobBytes(b: Blob): Promise<Uint8Array> {
  return new Uint8Array(await b.arrayBuffer());
}

async function setup(files: Record<string, Uint8Array | string> = shardedRepo().files, repo = 'owner/tiny') {
  const hub = new FakeHub();
  hub.add(repo, { files });
  const store = new MemoryModelStore();
  const plan = await planHubModel({ repo, fetch: hub.fetch });
  return { hub, store, plan };
}

async function kind(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HubError) return e.kind;
    throw e;
  }
  return 'no error';
}

describe('planning', () => {
  it('pins the commit, fetches config and index first, and lists shards sorted with their sizes', async () => {
    const { hub, plan } = await setup();
    expect(plan.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(plan.files.map((f) => f.name)).toEqual([
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'model.safetensors.index.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
    ]);
    expect(plan.weightBytes).toBe(80_001);
    expect(plan.weightFiles).toBe(2);
    const paths = hub.requests.map((r) => new URL(r.url).pathname);
    expect(paths).toEqual([
      '/api/models/owner/tiny/revision/main',
      `/api/models/owner/tiny/tree/${plan.commit}`,
      `/owner/tiny/resolve/${plan.commit}/config.json`,
      `/owner/tiny/resolve/${plan.commit}/model.safetensors.index.json`,
    ]);
    expect(hub.requests.every((r) => r.url.startsWith('https://huggingface.co/'))).toBe(true);
  });

  it('gives each refusal its own kind, before any weights are requested', async () => {
    const cases: [Record<string, Uint8Array | string>, string][] = [
      [{ 'config.json': CONFIG, 'tokenizer.json': TOKENIZER, 'pytorch_model.bin': bytes(10, 1) }, 'pickle-only'],
      [{ 'config.json': CONFIG, 'model-Q4_K_M.gguf': bytes(10, 1) }, 'gguf-only'],
      [{ 'config.json': CONFIG, 'README.md': 'x' }, 'no-safetensors'],
      [{ 'tokenizer.json': TOKENIZER, 'model.safetensors': bytes(10, 1) }, 'no-config'],
      [{ 'config.json': CONFIG, 'vocab.json': '{}', 'model.safetensors': bytes(10, 1) }, 'no-tokenizer'],
      [
        {
          'config.json': JSON.stringify({ model_type: 'mistral' }),
          'tokenizer.json': TOKENIZER,
          'model.safetensors': bytes(10, 1),
        },
        'unsupported-family',
      ],
    ];
    for (const [files, expected] of cases) {
      const hub = new FakeHub();
      hub.add('o/r', { files });
      expect(await kind(planHubModel({ repo: 'o/r', fetch: hub.fetch }))).toBe(expected);
      expect(hub.requests.some((q) => q.url.endsWith('.safetensors') || q.url.endsWith('.bin'))).toBe(false);
    }
  });

  it('says a missing repo, a missing revision-less file, a gated repo and a bad id apart', async () => {
    const hub = new FakeHub();
    hub.add('o/gated', { files: shardedRepo().files, gated: 'manual' });
    const missing = planHubModel({ repo: 'nobody/nothing', fetch: hub.fetch });
    await expect(missing).rejects.toThrow(/No public model nobody\/nothing/);
    const gated = planHubModel({ repo: 'o/gated', fetch: hub.fetch });
    await expect(gated).rejects.toMatchObject({ kind: 'gated' });
    await expect(planHubModel({ repo: 'o/gated', fetch: hub.fetch })).rejects.toThrow(/sends no Hugging Face token/);
    expect(await kind(planHubModel({ repo: 'a/b/c', fetch: hub.fetch }))).toBe('bad-id');
    expect(hub.requests.some((q) => q.url.includes('a/b/c'))).toBe(false);
  });

  it('turns a fetch that never answers into a network error', async () => {
    const offline = async () => {
      throw new TypeError('Failed to fetch');
    };
    const e = await planHubModel({ repo: 'o/r', fetch: offline }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'network', resumable: true });
  });
});

describe('downloading', () => {
  it('stores every file byte-identical, reads them back without the network, and reports progress up to the total', async () => {
    const { hub, store, plan } = await setup();
    const { a, b } = shardedRepo();
    const events: DownloadProgress[] = [];
    const files = await downloadModel({
      plan,
      store,
      fetch: hub.fetch,
      partBytes: 16_384,
      onProgress: (p) => events.push(p),
    });
    expect(await blobBytes(files.weights.get('model-00001-of-00002.safetensors')!)).toEqual(a);
    expect(await blobBytes(files.weights.get('model-00002-of-00002.safetensors')!)).toEqual(b);
    expect([...files.weights.keys()]).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(files.config).toBe(CONFIG);
    expect(files.tokenizer).toBe(TOKENIZER);
    expect(files.tokenizerConfig).toBe('{}');
    expect(files.commit).toBe(plan.commit);
    expect(JSON.parse(files.weightIndex!).metadata.total_size).toBe(70_000);
    // config.json and the index were fetched once, while planning.
    expect(hub.resolves('config.json')).toHaveLength(1);
    expect(hub.resolves('model.safetensors.index.json')).toHaveLength(1);
    const last = events[events.length - 1];
    expect(last.done).toBe(plan.totalBytes);
    for (let i = 1; i < events.length; i++) expect(events[i].done).toBeGreaterThanOrEqual(events[i - 1].done);
    const offline = await loadStoredModel(store, 'owner/tiny', 'main');
    const before = hub.requests.length;
    expect(await blobBytes(offline!.weights.get('model-00002-of-00002.safetensors')!)).toEqual(b);
    expect(hub.requests.length).toBe(before);
  });

  it('resumes a dropped connection with Range from the stored offset, and the result is byte-identical', async () => {
    const { hub, store, plan } = await setup();
    const { b } = shardedRepo();
    hub.dropAfter.set('model-00002-of-00002.safetensors', 20_000);
    const first = await downloadModel({ plan, store, fetch: hub.fetch, partBytes: 8192 }).catch((e: unknown) => e);
    expect(first).toMatchObject({ kind: 'network', resumable: true });
    const m = (await store.readManifest('owner/tiny', 'main'))!;
    const kept = storedBytes(m.files.find((f) => f.name === 'model-00002-of-00002.safetensors')!);
    expect(kept).toBe(20_000); // every byte that arrived, including the part in flight
    const files = await downloadModel({
      plan: await planHubModel({ repo: 'owner/tiny', fetch: hub.fetch }),
      store,
      fetch: hub.fetch,
    });
    const shard2 = hub.resolves('model-00002-of-00002.safetensors');
    expect(shard2.map((q) => q.range)).toEqual([null, 'bytes=20000-']);
    expect(hub.resolves('model-00001-of-00002.safetensors')).toHaveLength(1); // the finished shard is not fetched again
    expect(await blobBytes(files.weights.get('model-00002-of-00002.safetensors')!)).toEqual(b);
  });

  it('cancels through an AbortSignal, keeps what arrived and resumes from it', async () => {
    const { hub, store, plan } = await setup();
    const { a } = shardedRepo();
    hub.stallAfter.set('model-00001-of-00002.safetensors', 12_288);
    const ctl = new AbortController();
    const run = downloadModel({
      plan,
      store,
      fetch: hub.fetch,
      signal: ctl.signal,
      partBytes: 4096,
    });
    // The stalled body only ends when the signal aborts: abort once the shard has been requested.
    const timer = setInterval(() => {
      if (hub.resolves('model-00001-of-00002.safetensors').length > 0) setTimeout(() => ctl.abort(), 20);
    }, 5);
    const e = await run.catch((x: unknown) => x);
    clearInterval(timer);
    expect(e).toMatchObject({ kind: 'cancelled', resumable: true });
    const files = await downloadModel({ plan, store, fetch: hub.fetch });
    expect(hub.resolves('model-00001-of-00002.safetensors').map((q) => q.range)).toEqual([null, 'bytes=12288-']);
    expect(await blobBytes(files.weights.get('model-00001-of-00002.safetensors')!)).toEqual(a);
  });

  it('keeps a truncated body, says so, and completes it on resume', async () => {
    const { hub, store, plan } = await setup();
    hub.truncate.set('model-00001-of-00002.safetensors', 30_000);
    const e = await downloadModel({ plan, store, fetch: hub.fetch }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'truncated', resumable: true });
    expect(String(e)).toMatch(/ended early: 29\.3 KiB of the 48\.8 KiB the Hub lists/);
    hub.truncate.clear();
    await downloadModel({ plan, store, fetch: hub.fetch });
    expect(hub.resolves('model-00001-of-00002.safetensors').map((q) => q.range)).toEqual([null, 'bytes=30000-']);
  });

  it('starts a file over when the server ignores the range (200)', async () => {
    const { hub, store, plan } = await setup();
    const { a } = shardedRepo();
    hub.dropAfter.set('model-00001-of-00002.safetensors', 10_000);
    await downloadModel({ plan, store, fetch: hub.fetch, partBytes: 4096 }).catch(() => undefined);
    hub.ignoreRange = true;
    const files = await downloadModel({ plan, store, fetch: hub.fetch });
    expect(await blobBytes(files.weights.get('model-00001-of-00002.safetensors')!)).toEqual(a);
  });

  it('starts a file over when its ETag changed between attempts, and on a 416', async () => {
    const { hub, store, plan } = await setup();
    hub.dropAfter.set('model-00001-of-00002.safetensors', 10_000);
    await downloadModel({ plan, store, fetch: hub.fetch }).catch(() => undefined);
    // Same listing (size and oid), different content: the CDN's ETag is the only sign.
    const m = (await store.readManifest('owner/tiny', 'main'))!;
    m.files.find((f) => f.name === 'model-00001-of-00002.safetensors')!.etag = 'something-else';
    await store.writeManifest(m);
    const files = await downloadModel({ plan, store, fetch: hub.fetch });
    const ranges = hub.resolves('model-00001-of-00002.safetensors').map((q) => q.range);
    expect(ranges).toEqual([null, 'bytes=10000-', null]);
    expect(await blobBytes(files.weights.get('model-00001-of-00002.safetensors')!)).toEqual(shardedRepo().a);

    // 416: the server's file is now shorter than what is stored: start over once (and here find it truncated).
    const { hub: h2, store: s2, plan: p2 } = await setup();
    const name = 'model-00002-of-00002.safetensors';
    h2.dropAfter.set(name, 8192);
    await downloadModel({ plan: p2, store: s2, fetch: h2.fetch, partBytes: 4096 }).catch(() => undefined);
    h2.repos.get('owner/tiny')!.files[name] = bytes(8000, 9);
    const e = await downloadModel({ plan: p2, store: s2, fetch: h2.fetch }).catch((x: unknown) => x);
    expect(h2.resolves(name).map((q) => q.range)).toEqual([null, 'bytes=8192-', null]);
    expect(e).toMatchObject({ kind: 'truncated' });
  });

  it('keeps unchanged files when a branch moved to a new commit, and refetches changed ones', async () => {
    const { hub, store, plan } = await setup();
    await downloadModel({ plan, store, fetch: hub.fetch });
    const repo = hub.repos.get('owner/tiny')!;
    repo.files['model-00002-of-00002.safetensors'] = bytes(30_001, 7);
    const next = await planHubModel({ repo: 'owner/tiny', fetch: hub.fetch });
    expect(next.commit).not.toBe(plan.commit);
    const files = await downloadModel({ plan: next, store, fetch: hub.fetch });
    expect(hub.resolves('model-00001-of-00002.safetensors')).toHaveLength(1);
    expect(hub.resolves('model-00002-of-00002.safetensors')).toHaveLength(2);
    expect(await blobBytes(files.weights.get('model-00002-of-00002.safetensors')!)).toEqual(bytes(30_001, 7));
  });

  it('discards a body longer than the listed size', async () => {
    const { hub, store, plan } = await setup();
    hub.repos.get('owner/tiny')!.files['model-00002-of-00002.safetensors'] = bytes(40_000, 2);
    const e = await downloadModel({ plan, store, fetch: hub.fetch }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'size-mismatch' });
    const m = (await store.readManifest('owner/tiny', 'main'))!;
    expect(m.files.find((f) => f.name === 'model-00002-of-00002.safetensors')!.parts).toEqual([]);
  });

  it('refuses before the first weights request when the quota estimate is too small', async () => {
    const { hub, store, plan } = await setup();
    const n = hub.requests.length;
    const e = await downloadModel({
      plan,
      store,
      fetch: hub.fetch,
      estimate: async () => ({ usage: 1000, quota: 50_000 }),
    }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'quota' });
    expect(String(e)).toMatch(/needs 78\.4 KiB more, and the browser allows this site 47\.9 KiB more/);
    expect(hub.requests.length).toBe(n);
  });

  it('says storage is full when a write fails for lack of space, keeping what was stored', async () => {
    const { hub, store, plan } = await setup();
    const quota = new Error('The quota has been exceeded.');
    quota.name = 'QuotaExceededError';
    // Fail the fifth write: config, tokenizer, tokenizer_config and the index are stored; the first shard's
    // part is not.
    let writes = 0;
    const write = store.writePart.bind(store);
    store.writePart = async (...args) => {
      if (++writes === 5) throw quota;
      return write(...args);
    };
    const e = await downloadModel({ plan, store, fetch: hub.fetch }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'quota', resumable: true });
    const m = (await store.readManifest('owner/tiny', 'main'))!;
    expect(m.files.filter((f) => storedBytes(f) === f.size).map((f) => f.name)).toEqual([
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'model.safetensors.index.json',
    ]);
  });

  it('maps a missing weights file (404) to its own message', async () => {
    const { hub, store, plan } = await setup();
    delete hub.repos.get('owner/tiny')!.files['model-00002-of-00002.safetensors'];
    const e = await downloadModel({ plan, store, fetch: hub.fetch }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'not-found' });
    expect(String(e)).toMatch(/has no file model-00002-of-00002\.safetensors/);
  });
});
