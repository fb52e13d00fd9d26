/**
 * The few small requests that turn "owner/name at main" into a download plan: the commit the
 * revision points at and whether the repo is gated (`modelInfo`), the root file listing with
 * sizes (`listFiles`, which follows the listing's pagination), config.json (its model_type
 * decides whether to go on) and, for sharded weights, model.safetensors.index.json. Both listing
 * calls come from `@huggingface/hub`; every request goes through `hubFetch`, which refuses any
 * host but the Hub's, sends no credentials, cookies or referrer, and turns failures into HubErrors.
 */
import { listFiles, modelInfo } from '@huggingface/hub';
import { HubError, isAbort, responseError, unreachable, type RequestContext } from './hubErrors';
import { checkRepoId, checkRevision, isHubUrl, resolveUrl } from './hubUrls';
import type { PlannedFile } from './manifest';
import { checkFamily, chooseFiles, shardsFromIndex, type ListedFile } from './plan';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HubPlan {
  repo: string;
  revision: string;
  /** The commit `revision` pointed at; every file is fetched at this commit. */
  commit: string | null;
  /** The model info said the repo is gated (its files then need a token, which this app never sends). */
  gated: boolean;
  modelType: string;
  /** config.json, parsed. */
  config: Record<string, unknown>;
  /** In download order: config, tokenizer files, the index if any, then the weights. */
  files: PlannedFile[];
  /** Files already fetched while planning (config.json, the index), by name. */
  fetched: Map<string, Uint8Array>;
  /** Sum of every file's size. */
  totalBytes: number;
  /** Sum of the safetensors files' sizes. */
  weightBytes: number;
  /** Number of safetensors files (1 when not sharded). */
  weightFiles: number;
}

const cancelled = () =>
  new HubError('cancelled', 'Download cancelled. What was downloaded is kept; Resume continues from there.', true);

async function bodyMessage(res: Response): Promise<string> {
  try {
    const text = (await res.text()).slice(0, 2000);
    try {
      const j = JSON.parse(text) as { error?: unknown };
      return typeof j.error === 'string' ? j.error : text;
    } catch {
      return text;
    }
  } catch {
    return '';
  }
}

/**
 * A fetch for Hub URLs only: anything else is refused before a request is made. No credentials,
 * no referrer. A rejected fetch becomes a 'network' HubError, a non-2xx answer the HubError its
 * status means for `what` (a file name, or null for the repo).
 */
export function hubFetch(
  fetchImpl: FetchLike,
  ctx: RequestContext & { signal?: AbortSignal; pass?: number[] },
): FetchLike {
  return async (input, init) => {
    const url = String(input);
    if (!isHubUrl(url))
      throw new HubError('network', `Refusing to fetch ${url.slice(0, 120)}: not a Hugging Face Hub address.`);
    let res: Response;
    try {
      res = await fetchImpl(url, { ...init, signal: ctx.signal, credentials: 'omit', referrerPolicy: 'no-referrer' });
    } catch (e) {
      if (isAbort(e) || ctx.signal?.aborted) throw cancelled();
      throw unreachable(ctx.what ?? ctx.repo, 0);
    }
    if (!res.ok && !ctx.pass?.includes(res.status)) throw responseError(res, ctx, await bodyMessage(res));
    return res;
  };
}

export { cancelled as cancelledError };

/** Reads a whole small file and checks it has exactly the listed size. */
export async function fetchSmall(
  fetchImpl: FetchLike,
  at: { repo: string; revision: string; commit: string | null; gated?: boolean },
  file: PlannedFile,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const { repo, revision, commit, gated } = at;
  const f = hubFetch(fetchImpl, { repo, revision, what: file.name, gated, signal });
  const res = await f(resolveUrl(repo, commit ?? revision, file.name));
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    if (isAbort(e) || signal?.aborted) throw cancelled();
    throw unreachable(file.name, 0);
  }
  if (bytes.byteLength !== file.size) {
    throw new HubError(
      bytes.byteLength < file.size ? 'truncated' : 'size-mismatch',
      `${file.name} arrived with ${bytes.byteLength} bytes, but the Hub lists ${file.size}. Try again.`,
      true,
    );
  }
  return bytes;
}

/**
 * Asks the Hub what `repo` at `revision` holds and decides what to fetch. Requests, in order:
 * model info (commit, gated), the root listing, config.json, and the index when the weights are
 * sharded. Throws a HubError (bad id, missing, gated, no safetensors, unsupported family, bad
 * index, network) before any weights are requested.
 */
export async function planHubModel(opts: {
  repo: string;
  revision?: string;
  fetch?: FetchLike;
  signal?: AbortSignal;
}): Promise<HubPlan> {
  let repo: string;
  let revision: string;
  try {
    repo = checkRepoId(opts.repo);
    revision = checkRevision(opts.revision ?? '');
  } catch (e) {
    throw new HubError('bad-id', (e as Error).message);
  }
  const fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
  const api = hubFetch(fetchImpl, { repo, revision, what: null, signal: opts.signal }) as typeof fetch;
  // Anything the library throws that is not already a HubError is an answer it could not read.
  const unreadable = (e: unknown): never => {
    if (e instanceof HubError) throw e;
    throw new HubError('server', `The Hub's answer about ${repo} could not be read (${(e as Error).message}).`, true);
  };
  const info = await modelInfo({ name: repo, revision, additionalFields: ['sha'], fetch: api }).catch(unreadable);
  const commit = typeof info.sha === 'string' && /^[0-9a-f]{40}$/.test(info.sha) ? info.sha : null;
  const at = { repo, revision, commit, gated: Boolean(info.gated) };
  const listing: ListedFile[] = [];
  try {
    for await (const f of listFiles({ repo, revision: encodeURIComponent(commit ?? revision), fetch: api })) {
      listing.push({ type: f.type, path: f.path, size: f.size, oid: f.oid, lfs: f.lfs });
      if (listing.length > 100_000) throw new HubError('bad-index', `${repo} lists more than 100,000 files.`);
    }
  } catch (e) {
    unreadable(e);
  }
  const choice = chooseFiles(repo, listing);
  const fetched = new Map<string, Uint8Array>();
  const configBytes = await fetchSmall(fetchImpl, at, choice.config, opts.signal);
  fetched.set(choice.config.name, configBytes);
  const { modelType, config } = checkFamily(repo, new TextDecoder().decode(configBytes));
  let weights: PlannedFile[];
  const head: PlannedFile[] = [choice.config, choice.tokenizer];
  if (choice.tokenizerConfig) head.push(choice.tokenizerConfig);
  if (choice.generationConfig) head.push(choice.generationConfig);
  if (choice.weights.kind === 'single') {
    weights = [choice.weights.file];
  } else {
    const index = choice.weights.index;
    const bytes = await fetchSmall(fetchImpl, at, index, opts.signal);
    fetched.set(index.name, bytes);
    weights = shardsFromIndex(repo, new TextDecoder().decode(bytes), listing);
    head.push(index);
  }
  const files = [...head, ...weights];
  const weightBytes = weights.reduce((a, f) => a + f.size, 0);
  return {
    repo,
    revision,
    commit,
    gated: at.gated,
    modelType,
    config,
    files,
    fetched,
    totalBytes: files.reduce((a, f) => a + f.size, 0),
    weightBytes,
    weightFiles: weights.length,
  };
}
