/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy, nodeOnly, offlineServiceWorker } from './scripts/vitePlugins.ts';

// The app is served from any path (GitHub Pages, a USB stick, file server): keep URLs relative.
export default defineConfig({
  base: './',
  plugins: [nodeOnly(), react(), contentSecurityPolicy(), offlineServiceWorker()],
  build: {
    target: 'es2022',
    rollupOptions: {
      // The benchmark page (npm run bench) ships beside the app; nothing links to it.
      input: { main: 'index.html', bench: 'src/bench/bench.html' },
    },
    chunkSizeWarningLimit: 4096,
  },
  worker: { format: 'es', plugins: () => [nodeOnly()] },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
