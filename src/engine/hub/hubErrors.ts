/**
 * Why a Hub download failed, in words for the person who asked for it. Each cause has its own
 * kind (for the UI and the tests) and says whether pressing Resume can help.
 *
 * Status codes follow huggingface_hub's `hf_raise_for_status` (utils/_http.py): the
 * `X-Error-Code` header says RepoNotFound / RevisionNotFound / EntryNotFound / GatedRepo, and a
 * 401 without it means "missing, private or gated" (the Hub answers 401 rather than 404 to
 * anyone without a token, so as not to reveal that a private repo exists).
 */
import { UserFacingError } from '../types';

export type HubErrorKind =
  | 'bad-id'
  | 'not-found'
  | 'gated'
  | 'forbidden'
  | 'rate-limited'
  | 'server'
  | 'no-safetensors'
  | 'pickle-only'
  | 'gguf-only'
  | 'no-config'
  | 'no-tokenizer'
  | 'unsupported-family'
  | 'bad-index'
  | 'network'
  | 'truncated'
  | 'size-mismatch'
  | 'quota'
  | 'storage'
  | 'cancelled';

export class HubError extends UserFacingError {
  constructor(
    readonly kind: HubErrorKind,
    message: string,
    /** True when what was downloaded is kept and Resume continues from it. */
    readonly resumable = false,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

/** What a request was for, to name it in a message. */
export interface RequestContext {
  repo: string;
  revision: string;
  /** The file asked for, or null for the repo itself (model info, listing). */
  what: string | null;
  /** True when the model info said the repo is gated: a 401 then means exactly that. */
  gated?: boolean;
}

const NO_TOKEN = 'This app sends no Hugging Face token, so it can only download public, ungated models.';

/** What a failed response means, given what was asked for (`what`: a file name, or null for the repo itself). */
export function responseError(
  res: { status: number; headers: { get(name: string): string | null } },
  ctx: RequestContext,
  bodyMessage = '',
): HubError {
  const { repo, revision, what } = ctx;
  const code = res.headers.get('X-Error-Code') ?? '';
  const gatedText = /gated|restricted|accept the conditions|authorized list/i.test(bodyMessage);
  if (code === 'GatedRepo' || ((res.status === 401 || res.status === 403) && (gatedText || ctx.gated))) {
    return new HubError(
      'gated',
      `${repo} is a gated model: the Hub lets only signed-in people who accepted its conditions download it. ${NO_TOKEN}`,
    );
  }
  if (code === 'RevisionNotFound') {
    return new HubError('not-found', `${repo} has no revision "${revision}" (no such branch, tag or commit).`);
  }
  if (code === 'EntryNotFound' || (res.status === 404 && what !== null && code !== 'RepoNotFound')) {
    return new HubError('not-found', `${repo} at ${revision} has no file ${what ?? ''}.`.replace(' .', '.'));
  }
  if (code === 'RepoNotFound' || res.status === 404 || res.status === 401) {
    return new HubError(
      'not-found',
      `No public model ${repo} on the Hugging Face Hub: check the id, or it is private or gated. ${NO_TOKEN}`,
    );
  }
  if (res.status === 403) {
    return new HubError('forbidden', `The Hub refused access to ${what ?? repo} (403). ${NO_TOKEN}`);
  }
  if (res.status === 429) {
    return new HubError(
      'rate-limited',
      'The Hub asks to slow down (429 Too Many Requests). Wait a minute and Resume.',
      true,
    );
  }
  if (res.status >= 500) {
    return new HubError(
      'server',
      `The Hub answered with an error (${res.status}) for ${what ?? repo}. Try Resume in a while.`,
      true,
    );
  }
  return new HubError('server', `Unexpected answer ${res.status} from the Hub for ${what ?? repo}.`, true);
}

/** A fetch that never got an answer (offline, DNS, a blocked host). */
export function unreachable(what: string, keptBytes: number): HubError {
  const kept = keptBytes > 0 ? ' What was downloaded is kept; Resume continues from there.' : '';
  return new HubError(
    'network',
    `Could not reach the Hugging Face Hub for ${what} (offline, or the connection was blocked).${kept}`,
    true,
  );
}

export const isAbort = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
