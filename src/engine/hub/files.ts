/**
 * A downloaded model as the trainer's loader takes it: the small files as text, the weights as
 * Blobs (read back from browser storage: disk-backed, so a 2 GiB checkpoint is not copied into
 * memory; the loader reads them tensor by tensor).
 */
import { HubError } from './hubErrors';
import { isComplete, type ModelManifest } from './manifest';
import type { ModelStore } from './store';

export interface HubModelFiles {
  repo: string;
  revision: string;
  commit?: string;
  /** config.json's text. */
  config: string;
  /** tokenizer.json's text. */
  tokenizer: string;
  tokenizerConfig?: string;
  generationConfig?: string;
  /** model.safetensors.index.json's text when the weights are sharded. */
  weightIndex?: string;
  /** The safetensors files by name, in the order they were listed (shards sorted by name). */
  weights: Map<string, Blob>;
}

/** The complete model `m` from `store`; a HubError when a file is incomplete or storage lost part of it. */
export async function readStoredModel(store: ModelStore, m: ModelManifest): Promise<HubModelFiles> {
  if (!isComplete(m)) {
    throw new HubError(
      'truncated',
      `${m.repo} (${m.revision}) is not completely downloaded yet: Resume to finish it.`,
      true,
    );
  }
  const weights = new Map<string, Blob>();
  const text: Partial<Record<string, string>> = {};
  for (const f of m.files) {
    const blob = await store.readFile(m.repo, m.revision, f.name, f.parts.length);
    if (blob.size !== f.size) {
      throw new HubError(
        'storage',
        `The browser no longer has all of ${f.name} of ${m.repo}: delete the model and download it again.`,
      );
    }
    if (f.role === 'weights') weights.set(f.name, blob);
    else text[f.role] = await blob.text();
  }
  if (text.config === undefined || text.tokenizer === undefined || weights.size === 0) {
    throw new HubError('storage', `The stored copy of ${m.repo} misses files: delete it and download it again.`);
  }
  return {
    repo: m.repo,
    revision: m.revision,
    ...(m.commit ? { commit: m.commit } : {}),
    config: text.config,
    tokenizer: text.tokenizer,
    ...(text.tokenizerConfig !== undefined ? { tokenizerConfig: text.tokenizerConfig } : {}),
    ...(text.generationConfig !== undefined ? { generationConfig: text.generationConfig } : {}),
    ...(text.weightIndex !== undefined ? { weightIndex: text.weightIndex } : {}),
    weights,
  };
}

/** A model kept on this device, with no network at all; null when there is none for repo@revision. */
export async function loadStoredModel(
  store: ModelStore,
  repo: string,
  revision: string,
): Promise<HubModelFiles | null> {
  const m = await store.readManifest(repo, revision);
  return m ? readStoredModel(store, m) : null;
}
