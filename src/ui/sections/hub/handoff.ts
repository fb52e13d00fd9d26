/**
 * A downloaded (or stored) Hub model handed on as the File objects a person would pick from disk,
 * so it goes through the same loader: config.json, tokenizer.json, tokenizer_config.json and
 * model.safetensors. The weights stay the Blobs read back from browser storage (a File made from
 * a Blob refers to the same bytes); sharded weights become one model.safetensors whose data are
 * slices of the shards (engine/hub/joinShards), so nothing large is copied here.
 */
import { joinShards } from '../../../engine/hub/joinShards';
import type { HubModelFiles } from '../../../engine/hub/files';
import type { HubBase } from '../../../engine/session/types';

export async function hubCheckpointFiles(files: HubModelFiles): Promise<File[]> {
  const weights = await joinShards(files.weights, files.weightIndex);
  const out = [
    new File([files.config], 'config.json', { type: 'application/json' }),
    new File([files.tokenizer], 'tokenizer.json', { type: 'application/json' }),
    new File([weights], 'model.safetensors'),
  ];
  if (files.tokenizerConfig !== undefined) {
    out.push(new File([files.tokenizerConfig], 'tokenizer_config.json', { type: 'application/json' }));
  }
  return out;
}

/** What an exported adapter names the base by. */
export function hubBaseOf(files: HubModelFiles): HubBase {
  return { repoId: files.repo, revision: files.revision, ...(files.commit ? { commit: files.commit } : {}) };
}
