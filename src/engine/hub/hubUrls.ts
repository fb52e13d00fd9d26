/**
 * The Hugging Face Hub's public URLs, built from a checked repo id, revision and file name.
 *
 * - files: `https://huggingface.co/<repo>/resolve/<revision>/<file>` (huggingface_hub's
 *   `hf_hub_url`: the revision percent-encoded whole, `quote(revision, safe="")`, so "refs/pr/1"
 *   becomes "refs%2Fpr%2F1"; the file name per path segment, `quote(filename)`).
 * - model info with the commit a revision points at: `/api/models/<repo>/revision/<revision>`
 *   (what `@huggingface/hub`'s `modelInfo` requests; `expand=sha` adds the commit).
 * - the file listing with sizes: `/api/models/<repo>/tree/<revision>` (what its `listFiles` requests).
 *
 * Large files answer their resolve URL with a 302 to a CDN host (see HUB_CONNECT_HOSTS).
 */
import { UserFacingError } from '../types';
import { HUB_CONNECT_HOSTS } from './hubHosts';

export { HUB_CONNECT_HOSTS };

/** Where every API call and resolve URL goes. */
export const HUB_ORIGIN = 'https://huggingface.co';

/** huggingface_hub's REPO_ID_REGEX (utils/_validators.py): optional namespace, name of 1–96 word chars, '-' or '.'. */
const REPO_ID = /^(\b[\w\-.]+\b\/)?\b[\w\-.]{1,96}\b$/;

/**
 * Checks a model repo id the way huggingface_hub's `validate_repo_id` does and returns it trimmed.
 * Throws a UserFacingError saying what is wrong (a URL pasted instead of an id is recognised).
 */
export function checkRepoId(raw: string): string {
  const id = raw.trim();
  if (id === '') throw new UserFacingError('Type a model id such as "openai-community/gpt2".');
  const fromUrl = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/([^/?#]+(?:\/[^/?#]+)?)/.exec(id);
  if (fromUrl && !fromUrl[1].startsWith('datasets/') && !fromUrl[1].startsWith('spaces/')) {
    throw new UserFacingError(`Use the model id, not its address: "${fromUrl[1]}".`);
  }
  if (/^(datasets|spaces|models?)\//.test(id)) {
    throw new UserFacingError(`"${id}" is not a model id: give "owner/name" of a model repository.`);
  }
  if (id.split('/').length > 2)
    throw new UserFacingError(`A model id is "owner/name" or "name": "${id}" has too many "/".`);
  if (!REPO_ID.test(id)) {
    throw new UserFacingError(
      `"${id}" is not a valid model id: letters, digits, "-", "_" and "." only, not starting or ending with "-" or ".", at most 96 characters per part.`,
    );
  }
  if (id.includes('--') || id.includes('..'))
    throw new UserFacingError(`A model id cannot contain "--" or "..": "${id}".`);
  if (id.endsWith('.git')) throw new UserFacingError(`A model id does not end in ".git": "${id}".`);
  return id;
}

/**
 * Checks a revision (branch, tag, "refs/pr/N" or a commit hash) and returns it trimmed; "" means
 * "main". Git ref rules that matter for a URL: no "..", no empty segment, no control characters.
 */
export function checkRevision(raw: string): string {
  const rev = raw.trim();
  if (rev === '') return 'main';
  if (rev.length > 256) throw new UserFacingError('A revision is at most 256 characters.');
  if (
    !/^[\w.\-/]+$/.test(rev) ||
    rev.includes('..') ||
    rev.includes('//') ||
    rev.startsWith('/') ||
    rev.endsWith('/')
  ) {
    throw new UserFacingError(
      `"${rev}" is not a revision: use a branch or tag name ("main", "v1.0", "refs/pr/3") or a commit hash.`,
    );
  }
  return rev;
}

/** A file name is encoded per path segment ("a b/c.json" → "a%20b/c.json"). */
const encodePath = (file: string): string => file.split('/').map(encodeURIComponent).join('/');

/** `https://huggingface.co/<repo>/resolve/<revision>/<file>`; the repo id must have passed checkRepoId. */
export function resolveUrl(repo: string, revision: string, file: string): string {
  return `${HUB_ORIGIN}/${repo}/resolve/${encodeURIComponent(revision)}/${encodePath(file)}`;
}

/** The model-info URL `@huggingface/hub`'s modelInfo requests (for tests and the e2e stand-in). */
export function modelInfoUrl(repo: string, revision: string): string {
  return `${HUB_ORIGIN}/api/models/${repo}/revision/${encodeURIComponent(revision)}`;
}

/** The listing URL `@huggingface/hub`'s listFiles requests, before its query string. */
export function treeUrl(repo: string, revision: string): string {
  return `${HUB_ORIGIN}/api/models/${repo}/tree/${revision}`;
}

/** True when a URL's host is one this app may fetch from (HUB_CONNECT_HOSTS), over https. */
export function isHubUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && (HUB_CONNECT_HOSTS as readonly string[]).includes(u.hostname) && u.port === '';
}
