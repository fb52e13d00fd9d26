/**
 * Downloads a planned model into a ModelStore, resuming from whatever an earlier attempt stored:
 * each safetensors file is fetched with `Range: bytes=<stored>-` and appended part by part.
 *
 * What the answers mean: 206 from the stored offset continues the file; 200 means the server
 * ignored the range, so the file starts over; 416 means the stored bytes do not fit the file,
 * which starts over once; a different ETag than the first attempt saw (or a Content-Range that
 * starts elsewhere, or another total) means the file changed, and it starts over. A connection
 * that drops, a cancel, or a body that ends early keep every byte received and say Resume.
 */
import { HubError, isAbort, unreachable } from './hubErrors';
import { cancelledError, fetchSmall, hubFetch, type FetchLike, type HubPlan } from './client';
import { resolveUrl } from './hubUrls';
import {
  isFileComplete,
  manifestStoredBytes,
  quotaProblem,
  reconcile,
  storedBytes,
  totalBytes,
  withFileReset,
  withPart,
  type ManifestFile,
  type ModelManifest,
} from './manifest';
import { secondsLeft, SpeedMeter, type DownloadProgress } from './progress';
import { formatBytes } from '../format/bytes';
import type { ModelStore } from './store';
import { readStoredModel, type HubModelFiles } from './files';

/** Bytes buffered before a part is written: at most this much is lost to a reload mid-download. */
export const DEFAULT_PART_BYTES = 16 << 20;

export interface DownloadOptions {
  plan: HubPlan;
  store: ModelStore;
  fetch?: FetchLike;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** navigator.storage.estimate, where there is one: checked before the first byte is requested. */
  estimate?: () => Promise<{ usage?: number; quota?: number } | null>;
  partBytes?: number;
  now?: () => number;
}

/** `"abc"`, `W/"abc"` → `abc`: weak and strong forms of one tag compare equal. */
const normEtag = (e: string | null): string | null => (e ? e.replace(/^W\//, '').replace(/^"|"$/g, '') : null);

/** `bytes 100-199/1000` → { start: 100, total: 1000 }, or null. */
export function parseContentRange(v: string | null): { start: number; total: number | null } | null {
  const m = v ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(v.trim()) : null;
  if (!m) return null;
  return { start: Number(m[1]), total: m[3] === '*' ? null : Number(m[3]) };
}

const isQuota = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && /QuotaExceeded|quota/i.test(`${(e as Error).name} ${(e as Error).message}`);

class Run {
  manifest: ModelManifest;
  private readonly meter: SpeedMeter;
  /** Bytes received from the network in this run (for the speed; never goes down). */
  private received = 0;

  constructor(
    readonly o: DownloadOptions & { fetch: FetchLike; partBytes: number; now: () => number },
    manifest: ModelManifest,
  ) {
    this.manifest = manifest;
    this.meter = new SpeedMeter(5000, o.now);
    this.meter.add(0);
  }

  file(name: string): ManifestFile {
    return this.manifest.files.find((f) => f.name === name)!;
  }

  async save(): Promise<void> {
    await this.o.store.writeManifest(this.manifest);
  }

  /** Stores one part and records it; a full disk becomes a 'quota' HubError that keeps what was stored. */
  async writePart(name: string, chunks: Uint8Array[], etag: string | null): Promise<void> {
    const f = this.file(name);
    const blob = new Blob(chunks as BlobPart[]);
    const { repo, revision } = this.manifest;
    try {
      await this.o.store.writePart(repo, revision, name, f.parts.length, blob);
    } catch (e) {
      if (!isQuota(e))
        throw new HubError('storage', `Could not store ${name} in the browser: ${(e as Error).message}`, true);
      throw new HubError(
        'quota',
        `Browser storage ran out while storing ${name} (${formatBytes(manifestStoredBytes(this.manifest))} of this model is kept). Free space, then Resume.`,
        true,
      );
    }
    this.manifest = withPart(this.manifest, name, blob.size, etag, this.o.now());
    await this.save();
  }

  async reset(name: string): Promise<void> {
    await this.o.store.removeFile(this.manifest.repo, this.manifest.revision, name);
    this.manifest = withFileReset(this.manifest, name, this.o.now());
    await this.save();
  }

  progress(name: string, inFlight: number): void {
    this.meter.add(this.received + inFlight);
    const done = manifestStoredBytes(this.manifest) + inFlight;
    const total = totalBytes(this.manifest);
    const f = this.file(name);
    const rate = this.meter.rate();
    this.o.onProgress?.({
      file: name,
      fileDone: storedBytes(f) + inFlight,
      fileTotal: f.size,
      done,
      total,
      bytesPerSecond: rate,
      secondsLeft: secondsLeft(total - done, rate),
    });
  }

  counted(bytes: number): void {
    this.received += bytes;
  }
}

/** One attempt at the rest of a weights file. Returns 'restart' when the file must start over. */
async function fetchRest(run: Run, name: string): Promise<'done' | 'restart'> {
  const { repo, revision, commit } = run.manifest;
  const f = run.file(name);
  const offset = storedBytes(f);
  const what = name;
  // 416 (range not satisfiable) comes back as an answer: the stored bytes do not fit the file served now.
  const get = hubFetch(run.o.fetch, {
    repo,
    revision,
    what,
    gated: run.o.plan.gated,
    signal: run.o.signal,
    pass: [416],
  });
  let res: Response;
  try {
    res = await get(resolveUrl(repo, commit ?? revision, name), {
      headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
    });
  } catch (e) {
    if (e instanceof HubError && e.kind === 'network') throw unreachable(name, manifestStoredBytes(run.manifest));
    throw e;
  }
  const drop = async () => {
    await res.body?.cancel().catch(() => undefined);
    return 'restart' as const;
  };
  if (res.status === 416) return drop();
  const etag = normEtag(res.headers.get('ETag'));
  if (f.etag && etag && etag !== f.etag) return drop(); // the file changed since the first attempt
  if (res.status === 206) {
    const range = parseContentRange(res.headers.get('Content-Range'));
    if (!range || range.start !== offset) return drop();
    if (range.total !== null && range.total !== f.size) {
      await res.body?.cancel().catch(() => undefined);
      throw new HubError(
        'size-mismatch',
        `The Hub serves ${name} with ${range.total} bytes, but its listing says ${f.size}. Nothing more was stored; try again later.`,
      );
    }
  } else if (offset > 0) {
    // A 200 to a range request: the server sends the whole file, so store it from byte 0.
    await run.reset(name);
  }
  if (!res.body) throw unreachable(name, manifestStoredBytes(run.manifest));
  const reader = res.body.getReader();
  let chunks: Uint8Array[] = [];
  let buffered = 0;
  let sinceProgress = 0;
  const flush = async () => {
    if (buffered === 0) return;
    const c = chunks;
    const n = buffered;
    chunks = [];
    buffered = 0;
    await run.writePart(name, c, etag);
    run.counted(n);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (storedBytes(run.file(name)) + buffered + value.byteLength > f.size) {
        await reader.cancel().catch(() => undefined);
        await run.reset(name);
        throw new HubError(
          'size-mismatch',
          `${name} came out larger than the ${formatBytes(f.size)} the Hub lists for it, so it was discarded. Download again to start that file over.`,
        );
      }
      chunks.push(value);
      buffered += value.byteLength;
      sinceProgress += value.byteLength;
      if (buffered >= run.o.partBytes) await flush();
      if (sinceProgress >= 256 << 10) {
        sinceProgress = 0;
        run.progress(name, buffered);
      }
    }
  } catch (e) {
    if (e instanceof HubError && e.kind !== 'network') throw e;
    // Keep what arrived: a cancel or a dropped connection loses nothing already received.
    await flush();
    if (isAbort(e) || run.o.signal?.aborted) throw cancelledError();
    throw new HubError(
      'network',
      `The connection dropped while downloading ${name} (${formatBytes(storedBytes(run.file(name)))} of ${formatBytes(f.size)} kept). Resume continues from there.`,
      true,
    );
  }
  await flush();
  run.progress(name, 0);
  const got = storedBytes(run.file(name));
  if (got < f.size) {
    throw new HubError(
      'truncated',
      `The download of ${name} ended early: ${formatBytes(got)} of the ${formatBytes(f.size)} the Hub lists arrived. What arrived is kept; Resume continues from there.`,
      true,
    );
  }
  return 'done';
}

/** Drops stored parts that storage no longer has in full (evicted, or cut off mid-write): keeps the valid prefix. */
async function checkAgainstStorage(store: ModelStore, m: ModelManifest): Promise<ModelManifest> {
  const files: ManifestFile[] = [];
  for (const f of m.files) {
    if (f.parts.length === 0) {
      files.push(f);
      continue;
    }
    const sizes = await store.partSizes(m.repo, m.revision, f.name, f.parts.length);
    let keep = 0;
    while (keep < f.parts.length && sizes[keep] === f.parts[keep]) keep++;
    files.push(keep === f.parts.length ? f : { ...f, parts: f.parts.slice(0, keep) });
  }
  return { ...m, files };
}

/**
 * Fetches every file of `plan` not yet stored and returns the model as Blobs read back from the
 * store. Throws a HubError; what was stored before the error stays stored (except a file found
 * to be different from the listing, which starts over), and calling again resumes.
 */
export async function downloadModel(options: DownloadOptions): Promise<HubModelFiles> {
  const o = {
    ...options,
    fetch: options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init)),
    partBytes: options.partBytes ?? DEFAULT_PART_BYTES,
    now: options.now ?? (() => Date.now()),
  };
  const { plan, store } = o;
  const old = await store.readManifest(plan.repo, plan.revision);
  const { manifest: merged, discard } = reconcile(old, plan, o.now());
  for (const name of discard) await store.removeFile(plan.repo, plan.revision, name);
  const manifest = await checkAgainstStorage(store, merged);
  const needed = totalBytes(manifest) - manifestStoredBytes(manifest);
  const problem = quotaProblem((await o.estimate?.()) ?? null, needed, formatBytes);
  if (problem) throw new HubError('quota', problem);
  const run = new Run(o, manifest);
  await run.save();
  for (const f of plan.files) {
    if (o.signal?.aborted) throw cancelledError();
    if (isFileComplete(run.file(f.name))) continue;
    if (f.role !== 'weights') {
      if (storedBytes(run.file(f.name)) > 0) await run.reset(f.name);
      const bytes = plan.fetched.get(f.name) ?? (await fetchSmall(o.fetch, plan, f, o.signal));
      await run.writePart(f.name, [bytes], null);
      run.counted(bytes.byteLength);
      run.progress(f.name, 0);
      continue;
    }
    let outcome = await fetchRest(run, f.name);
    if (outcome === 'restart') {
      await run.reset(f.name);
      outcome = await fetchRest(run, f.name);
      if (outcome === 'restart') {
        throw new HubError(
          'size-mismatch',
          `The Hub kept answering ${f.name} with a different file than it lists; nothing more was stored. Try again later.`,
          true,
        );
      }
    }
  }
  return readStoredModel(store, run.manifest);
}
