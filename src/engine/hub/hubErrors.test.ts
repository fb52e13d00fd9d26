import { describe, expect, it } from 'vitest';
import { responseError, type RequestContext } from './hubErrors';

const res = (status: number, code?: string) => ({
  status,
  headers: { get: (n: string) => (n.toLowerCase() === 'x-error-code' ? (code ?? null) : null) },
});
const ctx: RequestContext = { repo: 'o/r', revision: 'main', what: 'model.safetensors' };

describe('what a Hub answer means', () => {
  it('tells gated, missing repo, missing revision, missing file, forbidden, rate limit and server errors apart', () => {
    const cases: [ReturnType<typeof res>, RequestContext, string, string, RegExp][] = [
      [res(401, 'GatedRepo'), ctx, '', 'gated', /o\/r is a gated model.*sends no Hugging Face token/],
      [res(401), { ...ctx, gated: true }, '', 'gated', /gated model/],
      [res(403), ctx, 'Access to model o/r is restricted and you are not in the authorized list.', 'gated', /gated/],
      [res(401, 'RepoNotFound'), { ...ctx, what: null }, '', 'not-found', /No public model o\/r.*private or gated/],
      [res(401), { ...ctx, what: null }, 'Invalid username or password.', 'not-found', /No public model o\/r/],
      [res(404, 'RevisionNotFound'), ctx, '', 'not-found', /no revision "main"/],
      [res(404, 'EntryNotFound'), ctx, '', 'not-found', /o\/r at main has no file model\.safetensors\./],
      [res(404), ctx, '', 'not-found', /has no file model\.safetensors/],
      [res(403), ctx, '', 'forbidden', /refused access to model\.safetensors \(403\)/],
      [res(429), ctx, '', 'rate-limited', /429/],
      [res(503), ctx, '', 'server', /\(503\)/],
    ];
    for (const [r, c, body, kind, msg] of cases) {
      const e = responseError(r, c, body);
      expect(e.kind, `${r.status} ${body}`).toBe(kind);
      expect(e.message).toMatch(msg);
    }
    expect(responseError(res(429), ctx).resumable).toBe(true);
    expect(responseError(res(404), ctx).resumable).toBe(false);
  });
});
