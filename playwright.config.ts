import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';

/** A real Chromium: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own. */
const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

// Keep Chromium off the network (this machine has none; users' data never leaves theirs).
const quiet = [
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// WebGPU on SwiftShader, headless (docs/toolchain.md): exactly these; never --disable-gpu.
const webgpu = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
];

// PW_PORT / PW_DIST let several builds be tested side by side (default: dist/ on 4173).
const PORT = Number(process.env.PW_PORT ?? 4173);
const DIST = process.env.PW_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1280, height: 800 },
    trace: 'off',
  },
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --port ${PORT} --strictPort --host 127.0.0.1 --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
  projects: [
    {
      name: 'webgpu',
      // Pages whose numbers never touch tfjs (Learn's plain-TS math, Start here, the inspector's
      // worker, presenter steps, axe) run once, on the wasm project: CI time goes to what differs.
      testIgnore: [
        /learn-.*\.spec\.ts/,
        /start\.spec\.ts/,
        /inspect\.spec\.ts/,
        /presenter\.spec\.ts/,
        /a11y\.spec\.ts/,
      ],
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath, args: [...quiet, ...webgpu] },
      },
      metadata: { backend: 'webgpu' },
    },
    {
      name: 'wasm',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath, args: [...quiet] },
      },
      metadata: { backend: 'wasm' },
    },
  ],
});
