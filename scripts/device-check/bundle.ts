/**
 * The Node half of the device bundle: the CLI, bench and checks bundled into one JS file
 * (esbuild; `webgpu` mapped to dawnShim.ts, which loads dawn.node from beside it), this Node
 * binary, Dawn's dawn.node and the tfjs wasm binaries, each xz -9 compressed, plus Debian's Vulkan
 * loader for a machine that lacks one. Nothing else is needed there: no npm, no node_modules.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

const HERE = 'scripts/device-check';
const DAWN = 'node_modules/webgpu/dist/linux-x64/dawn.node';
const WASM_DIR = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
const VULKAN = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1';

const dawnShim: Plugin = {
  name: 'dawn-shim',
  setup(b) {
    b.onResolve({ filter: /^webgpu$/ }, () => ({ path: resolve(HERE, 'dawnShim.ts') }));
  },
};

/** xz -9 `src` into `dest` (keeps src). */
function xz(src: string, dest: string): void {
  const r = spawnSync('xz', ['-9', '-c', '-T0', src], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`xz failed on ${src}: ${r.stderr?.toString() || r.error}`);
  writeFileSync(dest, r.stdout);
}

export interface BundleFile {
  name: string;
  bytes: number;
  /** Bytes before compression, for xz'd files. */
  raw?: number;
}

export async function buildNodeBundle(out: string, log: (s: string) => void): Promise<BundleFile[]> {
  const dir = join(out, 'node');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const js = join(dir, 'device.mjs');
  log('bundling the CLI, bench and checks (esbuild)…');
  await build({
    entryPoints: [join(HERE, 'deviceMain.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: js,
    plugins: [dawnShim],
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS inside tfjs calls require(), and tfjs-wasm looks for its binaries by __dirname.
    banner: {
      js: [
        "import { createRequire as __lowrankRequire } from 'node:module';",
        "import { fileURLToPath as __lowrankPath } from 'node:url';",
        'const require = __lowrankRequire(import.meta.url);',
        'const __filename = __lowrankPath(import.meta.url);',
        "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
      ].join('\n'),
    },
  });
  const files: BundleFile[] = [];
  const packed = (src: string, name: string) => {
    log(`xz -9 ${src}…`);
    const dest = join(dir, `${name}.xz`);
    xz(src, dest);
    files.push({ name: `node/${name}.xz`, bytes: statSync(dest).size, raw: statSync(src).size });
  };
  packed(js, 'device.mjs');
  rmSync(js);
  packed(realpathSync(process.execPath), 'node');
  if (!existsSync(DAWN)) throw new Error(`${DAWN} is missing: the optional "webgpu" package did not install`);
  packed(DAWN, 'dawn.node');
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
    copyFileSync(join(WASM_DIR, f), join(dir, f));
    files.push({ name: `node/${f}`, bytes: statSync(join(dir, f)).size });
  }
  if (existsSync(VULKAN)) {
    const dest = join(dir, 'libvulkan.so.1');
    copyFileSync(realpathSync(VULKAN), dest);
    files.push({ name: `node/${basename(dest)}`, bytes: statSync(dest).size });
  } else log(`note: ${VULKAN} not found here; the GPU machine must bring its own Vulkan loader`);
  writeFileSync(
    join(dir, 'VERSION'),
    `node ${process.version}, webgpu (dawn.node) 0.6.2, ${process.platform}-${process.arch}\n`,
  );
  return files;
}
