/**
 * A stand-in for the Hugging Face Hub's HTTP interface, for tests (the real Hub cannot be reached
 * from the test machines): model info, the tree listing and resolve URLs with Range support,
 * answering the way huggingface.co does (401 + X-Error-Code RepoNotFound for a missing repo,
 * 404 EntryNotFound for a missing file, 401 GatedRepo for a gated one, 206 with Content-Range for
 * a range). Knobs make it misbehave the ways a real download can: cut the body short, drop the
 * connection mid-body, ignore the Range header, change a file between attempts.
 */
import { createHash } from 'node:crypto';

export interface FakeRepo {
  /** Root files by name. */
  files: Record<string, Uint8Array | string>;
  /** 40 hex digits; derived from the content when absent. */
  sha?: string;
  gated?: false | 'auto' | 'manual';
}

export interface FakeRequest {
  url: string;
  range: string | null;
}

const bytesOf = (v: Uint8Array | string) => (typeof v === 'string' ? new TextEncoder().encode(v) : v);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const json = (v: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(v), { status, headers: { 'Content-Type': 'application/json', ...headers } });

export class FakeHub {
  readonly repos = new Map<string, FakeRepo>();
  readonly requests: FakeRequest[] = [];
  /** Serve at most this many bytes of a file's body, then end normally (a truncated download). */
  readonly truncate = new Map<string, number>();
  /** After this many bytes of a file's body the stream errors, once (a dropped connection). */
  readonly dropAfter = new Map<string, number>();
  /** Abort-aware: after this many bytes the body waits until the request's signal aborts. */
  readonly stallAfter = new Map<string, number>();
  /** Answer ranged requests with the whole file (200), as some servers do. */
  ignoreRange = false;
  /** Body chunk size, so that part boundaries and progress events get exercised. */
  chunk = 4096;

  add(repo: string, r: FakeRepo): void {
    this.repos.set(repo, r);
  }

  private commit(repo: string, r: FakeRepo): string {
    if (r.sha) return r.sha;
    const h = createHash('sha1').update(repo);
    for (const [k, v] of Object.entries(r.files)) h.update(k).update(bytesOf(v));
    return h.digest('hex');
  }

  /** The oid a file gets in the listing: git-style for small files, the sha256 for "LFS" ones (> 1 KiB). */
  static entry(path: string, v: Uint8Array | string) {
    const b = bytesOf(v);
    const oid = createHash('sha1').update(b).digest('hex');
    return b.byteLength > 1024
      ? { type: 'file', path, size: b.byteLength, oid, lfs: { oid: sha256(b), size: b.byteLength, pointerSize: 134 } }
      : { type: 'file', path, size: b.byteLength, oid };
  }

  /** The same signature as fetch (only what the downloader uses). */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const headers = new Headers(init?.headers);
    this.requests.push({ url: url.href, range: headers.get('Range') });
    if (init?.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    if (url.origin !== 'https://huggingface.co') throw new TypeError('fetch failed: unknown host');
    const path = url.pathname; // segments decoded one by one below: an encoded revision may hold "/"
    let m = /^\/api\/models\/(.+)\/revision\/([^/]+)$/.exec(path);
    if (m) {
      const r = this.repos.get(m[1]);
      if (!r) return json({ error: 'Repository not found' }, 401, { 'X-Error-Code': 'RepoNotFound' });
      return json({ _id: 'x', id: m[1], sha: this.commit(m[1], r), gated: r.gated ?? false, private: false });
    }
    m = /^\/api\/models\/(.+)\/tree\/(.+)$/.exec(path);
    if (m) {
      const r = this.repos.get(m[1]);
      if (!r) return json({ error: 'Repository not found' }, 401, { 'X-Error-Code': 'RepoNotFound' });
      return json(Object.entries(r.files).map(([k, v]) => FakeHub.entry(k, v)));
    }
    m = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (!m) return json({ error: 'Not found' }, 404);
    const repo = m[1];
    const file = m[3].split('/').map(decodeURIComponent).join('/');
    const r = this.repos.get(repo);
    if (!r) return json({ error: 'Repository not found' }, 401, { 'X-Error-Code': 'RepoNotFound' });
    if (r.gated) {
      return json(
        { error: `Access to model ${repo} is restricted. You must have access to it and be authenticated.` },
        401,
        {
          'X-Error-Code': 'GatedRepo',
        },
      );
    }
    const v = r.files[file];
    if (v === undefined) return json({ error: 'Entry not found' }, 404, { 'X-Error-Code': 'EntryNotFound' });
    const body = bytesOf(v);
    const etag = `"${sha256(body)}"`;
    const range = /^bytes=(\d+)-$/.exec(headers.get('Range') ?? '');
    let start = 0;
    let status = 200;
    const out: Record<string, string> = { ETag: etag, 'Accept-Ranges': 'bytes', 'X-Repo-Commit': this.commit(repo, r) };
    if (range && !this.ignoreRange) {
      start = Number(range[1]);
      if (start >= body.byteLength) {
        return new Response('', { status: 416, headers: { 'Content-Range': `bytes */${body.byteLength}` } });
      }
      status = 206;
      out['Content-Range'] = `bytes ${start}-${body.byteLength - 1}/${body.byteLength}`;
    }
    let end = body.byteLength;
    const cut = this.truncate.get(file);
    if (cut !== undefined) end = Math.min(end, cut);
    const drop = this.dropAfter.get(file);
    if (drop !== undefined) this.dropAfter.delete(file);
    const stall = this.stallAfter.get(file);
    if (stall !== undefined) this.stallAfter.delete(file);
    const signal = init?.signal;
    let pos = start;
    const chunk = this.chunk;
    const stream = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (drop !== undefined && pos >= drop) {
          c.error(new TypeError('network error'));
          return;
        }
        if (stall !== undefined && pos >= stall) {
          await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
          c.error(new DOMException('The operation was aborted.', 'AbortError'));
          return;
        }
        if (pos >= end) {
          c.close();
          return;
        }
        let next = Math.min(end, pos + chunk);
        if (drop !== undefined && drop > pos) next = Math.min(next, drop);
        if (stall !== undefined && stall > pos) next = Math.min(next, stall);
        c.enqueue(body.slice(pos, next));
        pos = next;
      },
    });
    return new Response(stream, { status, headers: out });
  };

  /** Requests for a file's resolve URL, with their Range headers. */
  resolves(file: string): FakeRequest[] {
    return this.requests.filter((q) => q.url.includes('/resolve/') && q.url.endsWith(`/${file}`));
  }
}
