import { describe, expect, it } from 'vitest';
import { checkRepoId, checkRevision, HUB_CONNECT_HOSTS, isHubUrl, modelInfoUrl, resolveUrl, treeUrl } from './hubUrls';

describe('Hub URLs', () => {
  it('builds resolve URLs with the revision encoded whole and the file per segment', () => {
    expect(resolveUrl('openai-community/gpt2', 'main', 'config.json')).toBe(
      'https://huggingface.co/openai-community/gpt2/resolve/main/config.json',
    );
    expect(resolveUrl('o/r', 'refs/pr/1', 'model.safetensors')).toBe(
      'https://huggingface.co/o/r/resolve/refs%2Fpr%2F1/model.safetensors',
    );
    expect(resolveUrl('o/r', 'main', 'sub dir/ä#?.json')).toBe(
      'https://huggingface.co/o/r/resolve/main/sub%20dir/%C3%A4%23%3F.json',
    );
    expect(resolveUrl('gpt2', 'v1.0', 'x.json')).toBe('https://huggingface.co/gpt2/resolve/v1.0/x.json');
  });

  it('builds the API URLs @huggingface/hub requests', () => {
    expect(modelInfoUrl('o/r', 'refs/pr/2')).toBe('https://huggingface.co/api/models/o/r/revision/refs%2Fpr%2F2');
    expect(treeUrl('o/r', 'abc')).toBe('https://huggingface.co/api/models/o/r/tree/abc');
  });

  it('accepts repo ids the Hub accepts and says what is wrong with the others', () => {
    for (const ok of ['gpt2', 'openai-community/gpt2', 'Qwen/Qwen2.5-0.5B', 'a_b/c.d-e', '123'])
      expect(checkRepoId(` ${ok} `)).toBe(ok);
    const bad: [string, RegExp][] = [
      ['', /Type a model id/],
      ['https://huggingface.co/openai-community/gpt2', /not its address: "openai-community\/gpt2"/],
      ['datasets/foo/bar', /not a model id/],
      ['a/b/c', /too many "\/"/],
      ['-gpt2', /not a valid model id/],
      ['gpt2.', /not a valid model id/],
      ['foo--bar', /"--" or "\.\."/],
      ['foo..bar', /"--" or "\.\."/],
      ['foo.git', /"\.git"/],
      ['a b', /not a valid model id/],
      ['x'.repeat(97), /not a valid model id/],
      ['o/r?x=1', /not a valid model id/],
    ];
    for (const [id, msg] of bad) expect(() => checkRepoId(id), id).toThrow(msg);
  });

  it('checks revisions, defaulting to main', () => {
    expect(checkRevision('')).toBe('main');
    expect(checkRevision(' v2 ')).toBe('v2');
    expect(checkRevision('refs/pr/12')).toBe('refs/pr/12');
    expect(checkRevision('0123456789abcdef0123456789abcdef01234567')).toHaveLength(40);
    for (const bad of ['../main', 'a//b', '/main', 'main/', 'a b', 'main?x', 'x'.repeat(257)]) {
      expect(() => checkRevision(bad), bad).toThrow();
    }
  });

  it('allows only https on the Hub and its CDN hosts', () => {
    for (const h of HUB_CONNECT_HOSTS) expect(isHubUrl(`https://${h}/x`)).toBe(true);
    for (const bad of [
      'http://huggingface.co/x',
      'https://huggingface.co.evil.example/x',
      'https://evil.example/huggingface.co',
      'https://huggingface.co:8443/x',
      'https://cdn.hf.co.evil.example/x',
      'not a url',
    ]) {
      expect(isHubUrl(bad), bad).toBe(false);
    }
  });
});
