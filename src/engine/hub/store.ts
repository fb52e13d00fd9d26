/**
 * What the downloader needs from storage. The browser's stores (Origin Private File System, or
 * Cache Storage where OPFS cannot write) live in src/ui/storage/modelStore.ts; the in-memory one
 * here serves the unit tests and anything headless.
 *
 * A file is stored as numbered parts, each written whole: a part is either there with all its
 * bytes or not there, so an attempt cut off by a reload loses at most the part in flight.
 */
import type { ModelManifest } from './manifest';

export interface ModelStore {
  readonly kind: 'opfs' | 'cache' | 'memory';
  /** Every model with a readable manifest. */
  list(): Promise<ModelManifest[]>;
  readManifest(repo: string, revision: string): Promise<ModelManifest | null>;
  writeManifest(m: ModelManifest): Promise<void>;
  /** Writes part `index` of `file` whole (replacing one of the same index). */
  writePart(repo: string, revision: string, file: string, index: number, data: Blob): Promise<void>;
  /** Byte length of each stored part 0…count-1 (-1 where one is missing): to check a manifest against storage. */
  partSizes(repo: string, revision: string, file: string, count: number): Promise<number[]>;
  /** The stored parts as one Blob (disk-backed where the store allows: nothing is copied into memory). */
  readFile(repo: string, revision: string, file: string, count: number): Promise<Blob>;
  removeFile(repo: string, revision: string, file: string): Promise<void>;
  /** Removes the model and its manifest. */
  remove(repo: string, revision: string): Promise<void>;
}

/** Everything in a Map: for tests (with hooks to fail a write) and for Node. */
export class MemoryModelStore implements ModelStore {
  readonly kind = 'memory';
  readonly manifests = new Map<string, string>();
  readonly parts = new Map<string, Blob>();
  /** Set to make the next writePart throw this error once (e.g. a QuotaExceededError). */
  failNextWrite: Error | null = null;
  writes = 0;

  private key = (repo: string, revision: string) => `${repo}@${revision}`;
  private partKey = (repo: string, revision: string, file: string, i: number) =>
    `${this.key(repo, revision)}/${file}/${i}`;

  async list(): Promise<ModelManifest[]> {
    return [...this.manifests.values()].map((t) => JSON.parse(t) as ModelManifest);
  }
  async readManifest(repo: string, revision: string): Promise<ModelManifest | null> {
    const t = this.manifests.get(this.key(repo, revision));
    return t === undefined ? null : (JSON.parse(t) as ModelManifest);
  }
  async writeManifest(m: ModelManifest): Promise<void> {
    this.manifests.set(this.key(m.repo, m.revision), JSON.stringify(m));
  }
  async writePart(repo: string, revision: string, file: string, index: number, data: Blob): Promise<void> {
    if (this.failNextWrite) {
      const e = this.failNextWrite;
      this.failNextWrite = null;
      throw e;
    }
    this.writes++;
    this.parts.set(this.partKey(repo, revision, file, index), data);
  }
  async partSizes(repo: string, revision: string, file: string, count: number): Promise<number[]> {
    return Array.from({ length: count }, (_, i) => this.parts.get(this.partKey(repo, revision, file, i))?.size ?? -1);
  }
  async readFile(repo: string, revision: string, file: string, count: number): Promise<Blob> {
    const blobs: Blob[] = [];
    for (let i = 0; i < count; i++) {
      const b = this.parts.get(this.partKey(repo, revision, file, i));
      if (!b) throw new Error(`part ${i} of ${file} is missing`);
      blobs.push(b);
    }
    return new Blob(blobs);
  }
  async removeFile(repo: string, revision: string, file: string): Promise<void> {
    const prefix = `${this.key(repo, revision)}/${file}/`;
    for (const k of [...this.parts.keys()]) if (k.startsWith(prefix)) this.parts.delete(k);
  }
  async remove(repo: string, revision: string): Promise<void> {
    const prefix = `${this.key(repo, revision)}/`;
    for (const k of [...this.parts.keys()]) if (k.startsWith(prefix)) this.parts.delete(k);
    this.manifests.delete(this.key(repo, revision));
  }
}
