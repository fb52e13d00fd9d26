/**
 * A local stand-in for the Hugging Face Hub, for e2e tests (the real Hub cannot be reached from
 * the test machines): Playwright routes for https://huggingface.co/** answered by the same
 * FakeHub the unit tests use (model info, tree listing, resolve with Range). Large files are
 * served straight from huggingface.co: the real Hub redirects them (302) to a CDN host, but
 * Playwright routes only the first request of a redirect chain, so the stand-in cannot follow
 * one (the CSP's CDN hosts are checked in src/csp.test.ts). Tests can hold a file's response
 * until released, or cut its body short once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Request, Route } from '@playwright/test';
import { FakeHub } from '../../src/engine/testing/fakeHub';
import { tinyCheckpoint } from './tinyGpt2';

export const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** Splits a safetensors file's tensors into two files and writes the index that names them. */
export function splitInTwo(bytes: Uint8Array): Record<string, Uint8Array | string> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const data = bytes.subarray(8 + n);
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const halves = [names.slice(0, Math.ceil(names.length / 2)), names.slice(Math.ceil(names.length / 2))];
  const files: Record<string, Uint8Array | string> = {};
  const weightMap: Record<string, string> = {};
  let total = 0;
  halves.forEach((group, i) => {
    const shard = `model-0000${i + 1}-of-00002.safetensors`;
    const h: Record<string, unknown> = { __metadata__: { format: 'pt' } };
    const chunks: Uint8Array[] = [];
    let off = 0;
    for (const name of group) {
      const t = header[name];
      const part = data.subarray(t.data_offsets[0], t.data_offsets[1]);
      h[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + part.byteLength] };
      chunks.push(part);
      off += part.byteLength;
      weightMap[name] = shard;
    }
    total += off;
    const json = new TextEncoder().encode(JSON.stringify(h).padEnd(Math.ceil(JSON.stringify(h).length / 8) * 8, ' '));
    const out = new Uint8Array(8 + json.byteLength + off);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
    out.set(json, 8);
    let p = 8 + json.byteLength;
    for (const c of chunks) {
      out.set(c, p);
      p += c.byteLength;
    }
    files[shard] = out;
  });
  files['model.safetensors.index.json'] = JSON.stringify(
    { metadata: { total_size: total }, weight_map: weightMap },
    null,
    2,
  );
  return files;
}

/** A tiny random GPT-2 in Hub form with its weights in two shards (generated once per worker). */
export function shardedTinyGpt2(): Record<string, Uint8Array | string> {
  const dir = tinyCheckpoint({ layers: 2, embd: 32, heads: 2, positions: 32 });
  const read = (f: string) => new Uint8Array(readFileSync(join(dir, f)));
  return {
    'config.json': read('config.json'),
    'tokenizer.json': read('tokenizer.json'),
    'tokenizer_config.json': read('tokenizer_config.json'),
    ...splitInTwo(read('model.safetensors')),
    'README.md': '# tiny random GPT-2 for tests\n',
  };
}

// What huggingface.co exposes to pages.
const HUB_EXPOSE =
  'X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,Accept-Ranges,Content-Range,X-Linked-Size,X-Linked-ETag,X-Xet-Hash';

export class HubStandIn {
  readonly hub = new FakeHub();
  /** Every request that reached a Hub host: URL and Range header. */
  readonly seen: { url: string; range: string | null }[] = [];
  private readonly held = new Map<string, { release: () => void; promise: Promise<void>; used: boolean }>();
  /** Serve only this many bytes of a file, once. */
  readonly cutOnce = new Map<string, number>();

  /** Answers this file's next request only after release(file) (which may come before or after it arrives). */
  hold(file: string): void {
    let release = () => undefined as void;
    const promise = new Promise<void>((r) => (release = r));
    this.held.set(file, { release, promise, used: false });
  }
  release(file: string): void {
    this.held.get(file)?.release();
  }

  /** Requests for a file's contents, with their Range headers. */
  fileRequests(file: string) {
    return this.seen.filter((q) => !q.url.includes('/api/') && q.url.endsWith(`/${file}`));
  }

  async install(page: Page): Promise<void> {
    await page.route('https://huggingface.co/**', (route) => this.answer(route));
  }

  private async answer(route: Route): Promise<void> {
    const req: Request = route.request();
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': HUB_EXPOSE };
    if (req.method() === 'OPTIONS') {
      return route.fulfill({
        status: 204,
        headers: { ...cors, 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': 'GET, HEAD' },
      });
    }
    const url = req.url();
    const range = (await req.headerValue('range')) ?? null;
    this.seen.push({ url, range });
    const file = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    const isResolve = url.includes('/resolve/');
    const res = await this.hub.fetch(url, { headers: range ? { Range: range } : {} });
    const held = this.held.get(file);
    if (held && !held.used && isResolve) {
      held.used = true;
      await held.promise;
    }
    let body = Buffer.from(await res.arrayBuffer());
    const cut = this.cutOnce.get(file);
    if (cut !== undefined && isResolve) {
      this.cutOnce.delete(file);
      body = body.subarray(0, cut);
    }
    const headers = { ...cors, ...Object.fromEntries(res.headers) };
    delete (headers as Record<string, string>)['content-length'];
    try {
      await route.fulfill({ status: res.status, headers, body });
    } catch {
      // the page cancelled the request while it was held
    }
  }
}
