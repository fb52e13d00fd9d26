/**
 * `npm run bench:inspect`: how long the adapter inspector takes on a 7B-class adapter (Llama-2-7B
 * shapes: 32 layers, hidden 4096, MLP 11008, r = 16 on all seven linear layers: 40.0M parameters,
 * 160 MB F32), in Node and in headless Chromium (the #/inspect page, its Worker reading the files
 * from disk). Prints a Markdown table: wall-clock times, and beside them the CPU time the work
 * took (Node's own; all Chromium processes' from /proc), which is what an idle core would take.
 * Node reads as the CLI does (the .safetensors as a Blob over the file, one module's factors at a
 * time); with GNU time (/usr/bin/time) it also prints `npm run cli -- inspect`'s peak RSS on the
 * adapter beside its peak on a tiny one (what the CLI itself takes).
 *
 * Flags: --layers N (default 32) --runs N (default 2) --skip-browser --skip-node --port N (default 4177)
 * Needs a production build (`npm run build`, or --dist DIR) for the browser half.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openAsBlob,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { blobSource } from '../src/engine/checkpoint/byteSource';
import { openAdapter, type AdapterFileInput } from '../src/engine/formats/read';
import { llamaModules, peftFiles } from '../src/engine/testing/adapterFiles';
import { inspectOpened } from '../src/engine/inspect/inspect';

const args = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const LAYERS = Number(value('layers', '32'));
const RUNS = Number(value('runs', '2'));
const PORT = Number(value('port', '4177'));
const DIST = value('dist', 'dist');

const rows: string[][] = [];
const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-inspect-bench-'));
  try {
    const mods = llamaModules(LAYERS, 4096, 4096, 11008, 16);
    const params = mods.reduce((n, m) => n + m.r * (m.dIn + m.dOut), 0);
    const files = peftFiles(mods, { r: 16, lora_alpha: 32 });
    mods.length = 0;
    const paths: string[] = [];
    for (const [name, bytes] of files) {
      paths.push(join(dir, name));
      writeFileSync(join(dir, name), bytes);
    }
    const size = files.get('adapter_model.safetensors')!.length;
    console.log(`adapter: ${LAYERS} layers × 7 modules, ${params.toLocaleString('en-US')} parameters, ${mib(size)}`);
    for (let run = 1; run <= (args.includes('--skip-node') ? 0 : RUNS); run++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const input = new Map<string, AdapterFileInput>();
      for (const p of paths) {
        const name = p.slice(dir.length + 1);
        input.set(name, name.endsWith('.safetensors') ? blobSource(await openAsBlob(p), name) : readFileSync(p));
      }
      const report = await inspectOpened(await openAdapter(input));
      const cpu = process.cpuUsage(c0);
      rows.push([
        'node',
        String(run),
        `${(performance.now() - t0).toFixed(0)}`,
        `${report.analyseMs.toFixed(0)}`,
        `${((cpu.user + cpu.system) / 1000).toFixed(0)}`,
      ]);
    }
    files.clear();
    const rss = cliPeakRss(dir);
    if (!args.includes('--skip-browser')) await browser(paths);
    console.log(`\nMachine: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.`);
    console.log('| where | run | total ms (read + analyse) | analyse ms | CPU ms |');
    console.log('|---|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    if (rss)
      console.log(
        `\nCLI peak RSS: ${mib(rss.adapter)} inspecting the ${mib(size)} adapter, ${mib(rss.tiny)} on a tiny one (+${mib(rss.adapter - rss.tiny)}).`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak RSS (bytes) of `cli inspect` on the adapter in `dir` and on a tiny one, or null without GNU time. */
function cliPeakRss(dir: string): { adapter: number; tiny: number } | null {
  if (!existsSync('/usr/bin/time')) return null;
  const tiny = `${dir}-tiny`; // beside, not inside: the CLI reads a folder two levels deep
  mkdirSync(tiny);
  for (const [name, bytes] of peftFiles(llamaModules(1, 64, 64, 128, 4), { r: 4, lora_alpha: 8 }))
    writeFileSync(join(tiny, name), bytes);
  const peak = (folder: string) => {
    const cli = ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', 'inspect', folder, '--modules', '1'];
    const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, ...cli], { encoding: 'utf8' });
    const kb = /maxrss_kb=(\d+)/.exec(r.stderr ?? '')?.[1];
    if (r.status !== 0 || !kb) throw new Error(`cli inspect failed: ${r.stderr}`);
    return Number(kb) * 1024;
  };
  const out = { adapter: peak(dir), tiny: peak(tiny) };
  rmSync(tiny, { recursive: true, force: true });
  return out;
}

/**
 * CPU time (ms) of every Chromium process so far, from /proc (Linux; null elsewhere): on a machine
 * shared with other work the wall clock measures the queue, this measures the inspection.
 */
function chromiumCpuMs(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chrom')) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / tick; // utime, stime
    } catch {
      // the process ended while being read
    }
  }
  return total;
}

async function browser(paths: string[]) {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`no build in ${DIST}/: run npm run build first`);
  const server = spawn(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'preview',
      '--port',
      String(PORT),
      '--strictPort',
      '--host',
      '127.0.0.1',
      '--outDir',
      DIST,
    ],
    { stdio: 'ignore' },
  );
  const executablePath =
    process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const b = await chromium.launch({ executablePath, args: ['--no-first-run', '--disable-background-networking'] });
  try {
    const page = await b.newPage();
    for (let i = 0; i < 60; i++) {
      try {
        await page.goto(`http://127.0.0.1:${PORT}/?backend=wasm#/inspect`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    for (let run = 1; run <= RUNS; run++) {
      await page.getByTestId('inspect-dropzone').waitFor();
      const cpu0 = chromiumCpuMs();
      await page.getByLabel('Choose adapter files to inspect').setInputFiles(paths);
      const time = page.getByTestId('inspect-time');
      await time.waitFor({ timeout: 300_000 });
      const cpu1 = chromiumCpuMs();
      const total = Number(await time.getAttribute('data-ms'));
      const text = await time.textContent();
      const analyse = /([\d.]+) s analysing/.exec(text ?? '')?.[1];
      rows.push([
        'chromium (Worker)',
        String(run),
        String(total),
        analyse ? (Number(analyse) * 1000).toFixed(0) : '?',
        cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0).toFixed(0) : '–',
      ]);
      await page.reload();
    }
  } finally {
    await b.close();
    server.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
