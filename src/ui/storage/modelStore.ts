/**
 * Downloaded Hub models kept in the browser: in the Origin Private File System (large files,
 * written part by part) under `models/<repo>@<revision>/`, one `manifest.json` beside the parts;
 * where OPFS cannot write files (no createWritable), in Cache Storage under the same names. Both
 * implement the engine's ModelStore; the bookkeeping they store is decided in
 * src/engine/hub/manifest.ts and tested there with the in-memory store. Uses no DOM, so it works
 * in a Worker too.
 */
import { modelDir, parseManifest, type ModelManifest } from '../../engine/hub/manifest';
import type { ModelStore } from '../../engine/hub/store';

const MANIFEST = 'manifest.json';
const partName = (file: string, i: number) => `${file}.part${i}`;

type Dir = FileSystemDirectoryHandle;
/** The async iteration TypeScript's DOM lib leaves out of FileSystemDirectoryHandle. */
const entries = (d: Dir) => (d as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries();

const isNotFound = (e: unknown) =>
  typeof e === 'object' && e !== null && ['NotFoundError', 'TypeMismatchError'].includes((e as Error).name);

async function subdir(root: Dir, path: string[], create: boolean): Promise<Dir | null> {
  let d = root;
  for (const name of path) {
    try {
      d = await d.getDirectoryHandle(name, { create });
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }
  return d;
}

async function fileIn(d: Dir | null, name: string): Promise<File | null> {
  if (!d) return null;
  try {
    return await (await d.getFileHandle(name)).getFile();
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

async function writeFile(d: Dir, name: string, data: Blob | string): Promise<void> {
  const w = await (await d.getFileHandle(name, { create: true })).createWritable();
  try {
    await w.write(data);
    await w.close(); // the new content replaces the old only now: a part is whole or absent
  } catch (e) {
    await w.abort().catch(() => undefined);
    throw e;
  }
}

async function readManifestIn(d: Dir | null): Promise<ModelManifest | null> {
  const f = await fileIn(d, MANIFEST);
  return f ? parseManifest(await f.text()) : null;
}

/** The OPFS store. Directory layout: models/<owner>/<name>@<revision>/{manifest.json, <file>.part<i>}. */
export function opfsModelStore(root: Dir): ModelStore {
  const dirOf = (repo: string, revision: string, create: boolean) => subdir(root, modelDir(repo, revision), create);
  return {
    kind: 'opfs',
    async list() {
      const out: ModelManifest[] = [];
      const models = await subdir(root, ['models'], false);
      if (!models) return out;
      // A model sits at depth 1 ("gpt2@main") or 2 ("owner/name@main").
      for await (const [, h] of entries(models)) {
        if (h.kind !== 'directory') continue;
        const m = await readManifestIn(h as Dir);
        if (m) {
          out.push(m);
          continue;
        }
        for await (const [, inner] of entries(h as Dir)) {
          if (inner.kind !== 'directory') continue;
          const m2 = await readManifestIn(inner as Dir);
          if (m2) out.push(m2);
        }
      }
      return out;
    },
    async readManifest(repo, revision) {
      return readManifestIn(await dirOf(repo, revision, false));
    },
    async writeManifest(m) {
      await writeFile((await dirOf(m.repo, m.revision, true))!, MANIFEST, JSON.stringify(m));
    },
    async writePart(repo, revision, file, index, data) {
      await writeFile((await dirOf(repo, revision, true))!, partName(file, index), data);
    },
    async partSizes(repo, revision, file, count) {
      const d = await dirOf(repo, revision, false);
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push((await fileIn(d, partName(file, i)))?.size ?? -1);
      return out;
    },
    async readFile(repo, revision, file, count) {
      const d = await dirOf(repo, revision, false);
      const parts: File[] = [];
      for (let i = 0; i < count; i++) {
        const f = await fileIn(d, partName(file, i));
        if (!f) throw new Error(`part ${i} of ${file} is missing from browser storage`);
        parts.push(f);
      }
      return new Blob(parts); // File-backed: nothing is read into memory here
    },
    async removeFile(repo, revision, file) {
      const d = await dirOf(repo, revision, false);
      if (!d) return;
      const names: string[] = [];
      for await (const [name] of entries(d)) if (name.startsWith(`${file}.part`)) names.push(name);
      for (const n of names) await d.removeEntry(n);
    },
    async remove(repo, revision) {
      const path = modelDir(repo, revision);
      const parent = await subdir(root, path.slice(0, -1), false);
      if (!parent) return;
      try {
        await parent.removeEntry(path[path.length - 1], { recursive: true });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      if (path.length > 2) {
        // Drop the owner folder when its last model went.
        let empty = true;
        for await (const _ of entries(parent)) {
          void _;
          empty = false;
          break;
        }
        const top = await subdir(root, ['models'], false);
        if (empty && top) await top.removeEntry(path[1]).catch(() => undefined);
      }
    },
  };
}

/**
 * The Cache Storage store, for browsers whose OPFS cannot write files. Its cache is not named
 * "lowrank-…", so the service worker's clean-up of old app caches leaves it alone, and its keys
 * sit under a path the app never requests.
 */
export function cacheModelStore(cache: Cache, origin: string): ModelStore {
  const base = (repo: string, revision: string) => `${origin}/__hub-models/${modelDir(repo, revision).join('/')}/`;
  const partUrl = (repo: string, revision: string, file: string, i: number) =>
    `${base(repo, revision)}${encodeURIComponent(partName(file, i))}`;
  const read = async (url: string) => (await cache.match(url)) ?? null;
  return {
    kind: 'cache',
    async list() {
      const out: ModelManifest[] = [];
      for (const req of await cache.keys()) {
        if (!req.url.endsWith(`/${MANIFEST}`)) continue;
        const m = parseManifest(await ((await read(req.url))?.text() ?? ''));
        if (m) out.push(m);
      }
      return out;
    },
    async readManifest(repo, revision) {
      const res = await read(`${base(repo, revision)}${MANIFEST}`);
      return res ? parseManifest(await res.text()) : null;
    },
    async writeManifest(m) {
      await cache.put(`${base(m.repo, m.revision)}${MANIFEST}`, new Response(JSON.stringify(m)));
    },
    async writePart(repo, revision, file, index, data) {
      await cache.put(partUrl(repo, revision, file, index), new Response(data));
    },
    async partSizes(repo, revision, file, count) {
      const out: number[] = [];
      for (let i = 0; i < count; i++) {
        const res = await read(partUrl(repo, revision, file, i));
        out.push(res ? (await res.blob()).size : -1);
      }
      return out;
    },
    async readFile(repo, revision, file, count) {
      const parts: Blob[] = [];
      for (let i = 0; i < count; i++) {
        const res = await read(partUrl(repo, revision, file, i));
        if (!res) throw new Error(`part ${i} of ${file} is missing from browser storage`);
        parts.push(await res.blob());
      }
      return new Blob(parts);
    },
    async removeFile(repo, revision, file) {
      const prefix = `${base(repo, revision)}${encodeURIComponent(`${file}.part`)}`;
      for (const req of await cache.keys()) if (req.url.startsWith(prefix)) await cache.delete(req);
    },
    async remove(repo, revision) {
      const prefix = base(repo, revision);
      for (const req of await cache.keys()) if (req.url.startsWith(prefix)) await cache.delete(req);
    },
  };
}

export const HUB_CACHE = 'hub-models';

let opened: Promise<ModelStore | null> | null = null;

/** OPFS where it can write files, else Cache Storage, else null (then nothing can be kept). */
export function openModelStore(): Promise<ModelStore | null> {
  opened ??= (async () => {
    const canWrite = typeof FileSystemFileHandle !== 'undefined' && 'createWritable' in FileSystemFileHandle.prototype;
    if (canWrite && typeof navigator !== 'undefined' && navigator.storage?.getDirectory) {
      try {
        return opfsModelStore(await navigator.storage.getDirectory());
      } catch {
        // e.g. a private window without OPFS: try Cache Storage
      }
    }
    if (typeof caches !== 'undefined') {
      try {
        return cacheModelStore(await caches.open(HUB_CACHE), globalThis.location.origin);
      } catch {
        // no storage at all
      }
    }
    return null;
  })();
  return opened;
}

export interface StorageEstimateInfo {
  usage: number;
  quota: number;
  persisted: boolean | null;
}

/** navigator.storage.estimate() and persisted(), or null where the browser does not say. */
export async function storageEstimate(): Promise<StorageEstimateInfo | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  const persisted = navigator.storage.persisted ? await navigator.storage.persisted() : null;
  return { usage, quota, persisted };
}

/** Asks the browser not to evict this site's data under storage pressure; true when granted. */
export async function persistStorage(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.storage?.persist) return false;
  return navigator.storage.persist();
}
