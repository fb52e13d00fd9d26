import { describe, expect, it } from 'vitest';
import { CSP, offlineServiceWorker } from '../scripts/vitePlugins';
import { HUB_CONNECT_HOSTS } from './engine/hub/hubUrls';

describe('privacy in the build', () => {
  it("lets the page connect to its own origin and exactly the Hub's hosts", () => {
    const directives = new Map(CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('connect-src')).toEqual([
      "'self'",
      'blob:',
      'data:',
      ...HUB_CONNECT_HOSTS.map((h) => `https://${h}`),
    ]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(HUB_CONNECT_HOSTS).toEqual([
      'huggingface.co',
      'us.aws.cdn.hf.co',
      'us.gcp.cdn.hf.co',
      'cdn-lfs-us-1.hf.co',
      'cdn-lfs-eu-1.hf.co',
    ]);
  });

  it('has a service worker that leaves cross-origin requests alone (neither answered nor cached)', () => {
    let source = '';
    const plugin = offlineServiceWorker('/nonexistent');
    const generate = plugin.generateBundle as unknown as (
      this: unknown,
      o: unknown,
      b: Record<string, unknown>,
    ) => void;
    generate.call({ emitFile: (f: { source: string }) => (source = f.source) }, {}, { 'index.html': {} });
    const handlers: Record<string, (e: unknown) => void> = {};
    const self = {
      location: { origin: 'http://127.0.0.1:4173' },
      addEventListener: (t: string, h: (e: unknown) => void) => (handlers[t] = h),
    };
    const caches = { match: () => Promise.resolve(new Response('cached')) };
    new Function('self', 'caches', 'fetch', source)(self, caches, () => Promise.reject(new Error('no network')));
    const answered: string[] = [];
    const event = (url: string) => ({
      request: { url, method: 'GET', mode: 'cors' },
      respondWith: () => answered.push(url),
    });
    handlers.fetch(event('https://huggingface.co/o/r/resolve/main/config.json'));
    handlers.fetch(event('https://us.aws.cdn.hf.co/xet-bridge-us/abc'));
    expect(answered).toEqual([]);
    handlers.fetch(event('http://127.0.0.1:4173/assets/app.js'));
    expect(answered).toEqual(['http://127.0.0.1:4173/assets/app.js']); // its own files it does answer
  });
});
