import { describe, expect, it } from 'vitest';
import type { HubModelFiles } from '../../../engine/hub/files';
import { readSafetensors, writeSafetensors } from '../../../engine/safetensors';
import { hubBaseOf, hubCheckpointFiles } from './handoff';

const tensor = (n: number, v: number) => ({ shape: [n], data: new Float32Array(n).fill(v) });
const model = (weights: Map<string, Blob>, extra: Partial<HubModelFiles> = {}): HubModelFiles => ({
  repo: 'owner/tiny',
  revision: 'main',
  config: '{"model_type":"gpt2"}',
  tokenizer: '{"model":{}}',
  weights,
  ...extra,
});

describe('hubCheckpointFiles', () => {
  it('hands a single-file model on as the files a person picks from disk, the weights Blob unread', async () => {
    const blob = new Blob([writeSafetensors(new Map([['w', tensor(3, 1)]])) as BlobPart]);
    const files = await hubCheckpointFiles(model(new Map([['model.safetensors', blob]]), { tokenizerConfig: '{}' }));
    expect(files.map((f) => f.name)).toEqual([
      'config.json',
      'tokenizer.json',
      'model.safetensors',
      'tokenizer_config.json',
    ]);
    expect(await files[0].text()).toBe('{"model_type":"gpt2"}');
    expect(files[2].size).toBe(blob.size);
    expect(new Uint8Array(await files[2].arrayBuffer())).toEqual(new Uint8Array(await blob.arrayBuffer()));
  });

  it('joins shards into one model.safetensors with every tensor', async () => {
    const s1 = 'model-00001-of-00002.safetensors';
    const s2 = 'model-00002-of-00002.safetensors';
    const weights = new Map([
      [s1, new Blob([writeSafetensors(new Map([['a', tensor(2, 1)]])) as BlobPart])],
      [s2, new Blob([writeSafetensors(new Map([['b', tensor(4, 2)]])) as BlobPart])],
    ]);
    const files = await hubCheckpointFiles(
      model(weights, { weightIndex: JSON.stringify({ weight_map: { a: s1, b: s2 } }) }),
    );
    expect(files.map((f) => f.name)).toEqual(['config.json', 'tokenizer.json', 'model.safetensors']);
    const joined = readSafetensors(new Uint8Array(await files[2].arrayBuffer()));
    expect(Array.from(joined.tensors.get('b')!.data)).toEqual([2, 2, 2, 2]);
    expect(Array.from(joined.tensors.get('a')!.data)).toEqual([1, 1]);
  });

  it('names the base by repo id, revision and commit', () => {
    expect(hubBaseOf(model(new Map(), { revision: 'v1.0', commit: 'abc' }))).toEqual({
      repoId: 'owner/tiny',
      revision: 'v1.0',
      commit: 'abc',
    });
    expect(hubBaseOf(model(new Map()))).toEqual({ repoId: 'owner/tiny', revision: 'main' });
  });
});
