import { describe, expect, it } from 'vitest';
import type { HubPlan } from '../../../engine/hub/client';
import { SHORT_LIST } from '../../../engine/hub/shortList';
import { DOWNLOAD_HOSTS_TEXT, planStatement, shortCount, shortListStatement } from './statement';

const plan = (weights: [string, number][]): HubPlan => {
  const files = [
    { name: 'config.json', role: 'config' as const, size: 700, oid: null },
    { name: 'tokenizer.json', role: 'tokenizer' as const, size: 2 ** 20, oid: null },
    ...weights.map(([name, size]) => ({ name, role: 'weights' as const, size, oid: null })),
  ];
  const weightBytes = weights.reduce((a, [, s]) => a + s, 0);
  return {
    repo: 'o/r',
    revision: 'main',
    commit: null,
    gated: false,
    modelType: 'gpt2',
    config: {},
    files,
    fetched: new Map(),
    totalBytes: weightBytes + 700 + 2 ** 20,
    weightBytes,
    weightFiles: weights.length,
  };
};

describe('what a download fetches, in words', () => {
  it('names the files, the shards and the size', () => {
    expect(
      planStatement(
        plan([
          ['a.safetensors', 300 * 2 ** 20],
          ['b.safetensors', 238 * 2 ** 20],
        ]),
      ),
    ).toBe(
      'Fetches config.json, tokenizer.json and 2 safetensors shards (538 MiB) from huggingface.co, 539 MiB in all; nothing else leaves this device.',
    );
    expect(planStatement(plan([['model.safetensors', 5 * 2 ** 20]]))).toMatch(
      /^Fetches config\.json, tokenizer\.json and model\.safetensors \(5\.00 MiB\)/,
    );
    expect(shortListStatement(SHORT_LIST[1])).toMatch(/model\.safetensors \(523 MiB\) from huggingface\.co/);
    expect(DOWNLOAD_HOSTS_TEXT).toBe('us.aws.cdn.hf.co, us.gcp.cdn.hf.co, cdn-lfs-us-1.hf.co and cdn-lfs-eu-1.hf.co');
    expect(shortCount(124_439_808)).toBe('124M');
    expect(shortCount(1_100_048_384)).toBe('1.10B');
    expect(shortCount(348_096)).toBe('348,096');
  });
});
