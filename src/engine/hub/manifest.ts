/**
 * The bookkeeping of downloaded models, kept as one small JSON manifest per model beside its
 * files: which files it has, how big the Hub says each is, how much of each is stored (as a list
 * of parts, each written whole), and whether it is complete. Pure functions only: the stores
 * (OPFS, Cache Storage, memory) just read and write what these decide.
 */

export type FileRole = 'config' | 'tokenizer' | 'tokenizerConfig' | 'generationConfig' | 'weightIndex' | 'weights';

/** A file the plan says to fetch: its name in the repo, its size and identity at the pinned commit. */
export interface PlannedFile {
  name: string;
  role: FileRole;
  /** Bytes, as the Hub's listing gives them. */
  size: number;
  /** The Hub's identity of this content (LFS sha256, else git blob id); null when not listed. */
  oid: string | null;
}

export interface ManifestFile extends PlannedFile {
  /** ETag of the first response that delivered bytes; a different one later means the file changed. */
  etag: string | null;
  /** Byte length of each stored part, in order; their sum is what is stored. */
  parts: number[];
}

export interface ModelManifest {
  version: 1;
  repo: string;
  /** What the person asked for ("main", a tag, a commit). */
  revision: string;
  /** The commit that revision pointed at when the files were listed. */
  commit: string | null;
  /** config.json's model_type. */
  modelType: string;
  files: ManifestFile[];
  /** Epoch ms. */
  updatedAt: number;
}

export const storedBytes = (f: ManifestFile): number => f.parts.reduce((a, b) => a + b, 0);
export const isFileComplete = (f: ManifestFile): boolean => storedBytes(f) === f.size;
export const isComplete = (m: ModelManifest): boolean => m.files.length > 0 && m.files.every(isFileComplete);
export const totalBytes = (m: ModelManifest): number => m.files.reduce((a, f) => a + f.size, 0);
export const manifestStoredBytes = (m: ModelManifest): number => m.files.reduce((a, f) => a + storedBytes(f), 0);

/** Where a model lives in storage: `models/<repo>@<revision>` (the revision encoded, as it may hold "/"). */
export function modelDir(repo: string, revision: string): string[] {
  return ['models', ...repo.split('/').slice(0, -1), `${repo.split('/').pop()}@${encodeURIComponent(revision)}`];
}

export interface Reconciled {
  manifest: ModelManifest;
  /** Files whose stored parts no longer belong to the plan (changed at the new commit, or dropped). */
  discard: string[];
}

/**
 * Merges a new plan into what an earlier attempt stored. A file keeps its parts only when the Hub
 * still lists it with the same size and identity (a branch that moved to a commit where the file
 * is unchanged keeps it); anything else starts over. Stored bytes beyond a file's size also start over.
 */
export function reconcile(
  old: ModelManifest | null,
  plan: { repo: string; revision: string; commit: string | null; modelType: string; files: PlannedFile[] },
  now: number,
): Reconciled {
  const before = new Map((old?.files ?? []).map((f) => [f.name, f]));
  const discard: string[] = [];
  const files: ManifestFile[] = plan.files.map((p) => {
    const o = before.get(p.name);
    before.delete(p.name);
    const same = o !== undefined && o.size === p.size && o.oid === p.oid && storedBytes(o) <= p.size;
    if (o && !same && o.parts.length > 0) discard.push(p.name);
    return { ...p, etag: same ? o.etag : null, parts: same ? [...o.parts] : [] };
  });
  for (const [name, f] of before) if (f.parts.length > 0) discard.push(name);
  return {
    manifest: {
      version: 1,
      repo: plan.repo,
      revision: plan.revision,
      commit: plan.commit,
      modelType: plan.modelType,
      files,
      updatedAt: now,
    },
    discard,
  };
}

/** The manifest with one more stored part for `file` (a new object: manifests are values). */
export function withPart(
  m: ModelManifest,
  file: string,
  bytes: number,
  etag: string | null,
  now: number,
): ModelManifest {
  return {
    ...m,
    updatedAt: now,
    files: m.files.map((f) => (f.name === file ? { ...f, etag: etag ?? f.etag, parts: [...f.parts, bytes] } : f)),
  };
}

/** The manifest with `file` emptied (it starts over). */
export function withFileReset(m: ModelManifest, file: string, now: number): ModelManifest {
  return { ...m, updatedAt: now, files: m.files.map((f) => (f.name === file ? { ...f, etag: null, parts: [] } : f)) };
}

/**
 * A manifest read back from storage, checked field by field (storage can hold anything an older
 * version or another tab wrote); null when it is not one of ours.
 */
export function parseManifest(text: string): ModelManifest | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const m = v as ModelManifest;
  const nonNeg = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (typeof m !== 'object' || m === null || m.version !== 1) return null;
  if (typeof m.repo !== 'string' || typeof m.revision !== 'string' || typeof m.modelType !== 'string') return null;
  if (!(m.commit === null || typeof m.commit === 'string') || !nonNeg(m.updatedAt) || !Array.isArray(m.files))
    return null;
  for (const f of m.files) {
    if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || typeof f.role !== 'string') return null;
    if (!nonNeg(f.size) || !Array.isArray(f.parts) || !f.parts.every(nonNeg)) return null;
    if (!(f.oid === null || typeof f.oid === 'string') || !(f.etag === null || typeof f.etag === 'string')) return null;
  }
  return m;
}

/** One row of "models on this device". */
export interface DeviceModel {
  repo: string;
  revision: string;
  commit: string | null;
  modelType: string;
  stored: number;
  total: number;
  complete: boolean;
  updatedAt: number;
}

export function deviceModel(m: ModelManifest): DeviceModel {
  return {
    repo: m.repo,
    revision: m.revision,
    commit: m.commit,
    modelType: m.modelType,
    stored: manifestStoredBytes(m),
    total: totalBytes(m),
    complete: isComplete(m),
    updatedAt: m.updatedAt,
  };
}

/**
 * Whether `needed` more bytes fit, by the browser's own estimate (navigator.storage.estimate):
 * null when they fit or the browser does not say, else the sentence to show before starting.
 */
export function quotaProblem(
  estimate: { usage?: number; quota?: number } | null,
  needed: number,
  format: (bytes: number) => string,
): string | null {
  if (!estimate || !estimate.quota || estimate.usage === undefined) return null;
  const free = Math.max(0, estimate.quota - estimate.usage);
  if (needed <= free) return null;
  return `Not enough browser storage: this download needs ${format(needed)} more, and the browser allows this site ${format(free)} more (${format(estimate.usage)} of ${format(estimate.quota)} used). Delete models below, or free space in the browser's settings.`;
}
