/**
 * Build-time plugins: an offline service worker that precaches every file of the build (app,
 * wasm binaries, shipped models and data), and a Content-Security-Policy that lets the page
 * talk to its own origin, plus the Hugging Face Hub's hosts for the downloads a person asks for.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';
import { HUB_CONNECT_HOSTS } from '../src/engine/hub/hubHosts.ts';

/**
 * Our own origin, and for connections also the Hub's hosts (huggingface.co and the CDN hosts its
 * resolve URLs redirect to; the list and its source are in src/engine/hub/hubUrls.ts). A
 * redirect target must be allowed too, or the browser cancels the download at the redirect.
 * 'wasm-unsafe-eval' is what compiling the tfjs WebAssembly needs.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  `connect-src 'self' blob: data: ${HUB_CONNECT_HOSTS.map((h) => `https://${h}`).join(' ')}`,
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

export function contentSecurityPolicy(): Plugin {
  return {
    name: 'lowrank-csp',
    apply: 'build', // the dev server injects inline scripts for hot reload
    transformIndexHtml(html) {
      return html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`);
    },
  };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  try {
    walk(dir);
  } catch {
    // no public dir
  }
  return out;
}

export function offlineServiceWorker(publicDir = 'public'): Plugin {
  return {
    name: 'lowrank-offline-sw',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = [...Object.keys(bundle), ...listFiles(publicDir)].filter(
        (f) => f !== 'sw.js' && !f.endsWith('.map'),
      );
      const assets = ['./', ...files.map((f) => `./${f}`)].sort();
      const version = createHash('sha256').update(assets.join('\n')).digest('hex').slice(0, 12);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: serviceWorkerSource(version, assets) });
    },
  };
}

function serviceWorkerSource(version: string, assets: string[]): string {
  return `// Generated at build time: precaches the whole app so it works offline after the first visit.
const CACHE = 'lowrank-${version}';
const ASSETS = ${JSON.stringify(assets)};
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('lowrank-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    // Fresh page when online; the cached shell when not.
    event.respondWith(fetch(req).catch(() => caches.match('./', { ignoreSearch: true, ignoreVary: true })));
    return;
  }
  event.respondWith(
    caches.match(req, { ignoreSearch: true, ignoreVary: true }).then((hit) => hit || fetch(req).then((res) => {
      if (res.ok) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); }
      return res;
    })),
  );
});
`;
}
