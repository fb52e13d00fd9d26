import { describe, expect, it } from 'vitest';
import {
  deviceModel,
  isComplete,
  modelDir,
  parseManifest,
  quotaProblem,
  reconcile,
  withFileReset,
  withPart,
  type PlannedFile,
} from './manifest';
import {} from './progress';
import { formatBytes } from '../format/bytes';

const f = (name: string, size: number, oid: string | null = `oid-${name}`): PlannedFile => ({
  name,
  role: 'weights',
  size,
  oid,
});
const plan = (files: PlannedFile[], commit = 'c1') => ({
  repo: 'o/r',
  revision: 'main',
  commit,
  modelType: 'gpt2',
  files,
});

describe('model bookkeeping', () => {
  it('keeps stored parts only for files the Hub still lists with the same size and identity', () => {
    let m = reconcile(null, plan([f('a', 10), f('b', 20), f('c', 30)]), 1).manifest;
    m = withPart(m, 'a', 10, 'e-a', 2);
    m = withPart(m, 'b', 5, 'e-b', 3);
    m = withPart(m, 'c', 30, null, 4);
    const { manifest, discard } = reconcile(m, plan([f('a', 10), f('b', 20, 'other'), f('d', 1)], 'c2'), 5);
    expect(manifest.files.map((x) => [x.name, x.parts, x.etag])).toEqual([
      ['a', [10], 'e-a'],
      ['b', [], null],
      ['d', [], null],
    ]);
    expect(discard.sort()).toEqual(['b', 'c']);
    expect(manifest.commit).toBe('c2');
    expect(isComplete(manifest)).toBe(false);
  });

  it('starts over a file holding more than its size', () => {
    const m = withPart(reconcile(null, plan([f('a', 10)]), 1).manifest, 'a', 12, null, 2);
    expect(reconcile(m, plan([f('a', 10)]), 3).discard).toEqual(['a']);
  });

  it('records parts, resets and completeness as new values', () => {
    const m0 = reconcile(null, plan([f('a', 10)]), 1).manifest;
    const m1 = withPart(m0, 'a', 4, 'e', 2);
    const m2 = withPart(m1, 'a', 6, null, 3);
    expect(m0.files[0].parts).toEqual([]);
    expect(m2.files[0]).toMatchObject({ parts: [4, 6], etag: 'e' });
    expect(isComplete(m2)).toBe(true);
    expect(deviceModel(m2)).toMatchObject({ repo: 'o/r', stored: 10, total: 10, complete: true, updatedAt: 3 });
    expect(withFileReset(m2, 'a', 4).files[0]).toMatchObject({ parts: [], etag: null });
  });

  it('reads back only manifests it wrote', () => {
    const m = withPart(reconcile(null, plan([f('a', 10)]), 1).manifest, 'a', 4, 'e', 2);
    expect(parseManifest(JSON.stringify(m))).toEqual(m);
    for (const bad of [
      '',
      'null',
      '{"version":2}',
      JSON.stringify({ ...m, files: [{ ...m.files[0], parts: [-1] }] }),
    ]) {
      expect(parseManifest(bad)).toBeNull();
    }
  });

  it('stores a model under models/<repo>@<revision>', () => {
    expect(modelDir('openai-community/gpt2', 'main')).toEqual(['models', 'openai-community', 'gpt2@main']);
    expect(modelDir('gpt2', 'refs/pr/1')).toEqual(['models', 'gpt2@refs%2Fpr%2F1']);
  });

  it('says before starting when the browser estimate leaves too little room', () => {
    expect(quotaProblem(null, 1e12, formatBytes)).toBeNull();
    expect(quotaProblem({ usage: 0, quota: 0 }, 1e12, formatBytes)).toBeNull();
    expect(quotaProblem({ usage: 2 ** 30, quota: 2 * 2 ** 30 }, 512 * 2 ** 20, formatBytes)).toBeNull();
    expect(quotaProblem({ usage: 2 ** 30, quota: 2 * 2 ** 30 }, 3 * 2 ** 30, formatBytes)).toBe(
      "Not enough browser storage: this download needs 3.00 GiB more, and the browser allows this site 1.00 GiB more (1.00 GiB of 2.00 GiB used). Delete models below, or free space in the browser's settings.",
    );
  });
});
