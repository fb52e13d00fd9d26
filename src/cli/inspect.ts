/**
 * `npm run cli -- inspect <file or folder>` and `npm run cli -- convert <in> --to peft|mlx --out DIR`:
 * adapters from other tools (PEFT, MLX, GGUF, kohya), inspected and converted without a base model.
 */
import { existsSync, mkdirSync, openAsBlob, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { shrinkAdapter } from '../engine/convert/shrink';
import { toMlx } from '../engine/convert/toMlx';
import { toPeft } from '../engine/convert/toPeft';
import { baseFromConfig, checkWithImporter } from '../engine/convert/verify';
import { blobSource } from '../engine/checkpoint/byteSource';
import { openAdapter, readAdapter, type AdapterFileInput } from '../engine/formats/read';
import type { ParsedAdapter } from '../engine/formats/types';
import { inspectOpened, type InspectReport } from '../engine/inspect/inspect';
import { errorMessage, UserFacingError } from '../engine/types';
import { Args, commandUsage, wantsHelp, type CommandSpec } from './args';

export const ADAPTER_COMMANDS = ['inspect', 'convert'];

/** Flags of `inspect` and `convert` (each takes a file or folder first, before its flags). */
export const ADAPTER_SPECS: Record<string, CommandSpec> = {
  inspect: {
    name: 'inspect',
    summary: "<file or folder>: an adapter's format, family, spectrum and lints (PEFT, MLX, GGUF, kohya or a zip)",
    flags: [
      { name: 'modules', value: 'N', help: 'modules listed in the table', default: 20 },
      { name: 'json', value: '', help: 'print the whole report as JSON (a switch, no value)' },
    ],
  },
  convert: {
    name: 'convert',
    summary: '<file or folder>: convert an adapter to PEFT or MLX, or shrink it to rank k',
    flags: [
      { name: 'to', value: 'peft|mlx', help: 'the format to write', required: true },
      { name: 'out', value: 'dir', help: 'the folder to write', required: true },
      { name: 'rank', value: 'k', help: 'shrink to rank k by truncated SVD of each ΔW (PEFT out)' },
      { name: 'heads', value: 'n', help: "the base's attention heads (GGUF llama: undoes llama.cpp's q/k row order)" },
      { name: 'base-config', value: 'config.json', help: "the base's config.json (heads and layout from it)" },
    ],
  },
};

export const ADAPTER_USAGE = Object.values(ADAPTER_SPECS)
  .map((c) => `  ${c.name.padEnd(9)} ${c.summary}`)
  .join('\n');

type Out = (line: string) => void;

/**
 * A file, or every file of a folder (two levels deep); pickles are listed but never read. A
 * .safetensors is opened as a Blob over the file (read tensor by tensor, never whole).
 */
async function readInput(path: string): Promise<Map<string, AdapterFileInput>> {
  if (!existsSync(path)) throw new UserFacingError(`not found: ${path}`);
  const files = new Map<string, AdapterFileInput>();
  const pending: Promise<void>[] = [];
  const add = (p: string, name: string) => {
    if (/\.(bin|pt|pth|ckpt|pkl)$/i.test(p)) files.set(name, new Uint8Array(0));
    else if (/\.safetensors$/i.test(p)) {
      files.set(name, new Uint8Array(0)); // keeps the walk's order; the Blob replaces it below
      pending.push(openAsBlob(p).then((blob) => void files.set(name, blobSource(blob, name))));
    } else files.set(name, readFileSync(p));
  };
  if (!statSync(path).isDirectory()) {
    add(path, path.split(/[\\/]/).pop() ?? path);
    await Promise.all(pending);
    return files;
  }
  const walk = (dir: string, depth: number) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < 2) walk(p, depth + 1);
      else if (e.isFile()) add(p, relative(path, p));
    }
  };
  walk(path, 0);
  await Promise.all(pending);
  return files;
}

/** Four significant digits, no trailing zeros; exponent notation for very large or small values. */
const g = (v: number): string => {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
};

function printReport(rep: InspectReport, out: Out, rows: number): void {
  out(`format   ${rep.formatLabel}`);
  for (const r of rep.reasons) out(`         · ${r}`);
  out(`family   ${rep.family.label}, from ${rep.family.evidence}`);
  out(`loadable ${rep.family.loadable ? 'yes' : 'no'}: ${rep.family.loadableWhy}`);
  if (rep.baseModel) out(`base     ${rep.baseModel}`);
  out(
    `modules  ${rep.totals.modules}, r = ${rep.totals.ranks.join(', ')}, ${rep.totals.params.toLocaleString('en-US')} parameters`,
  );
  out('');
  out(rep.lints.length ? `lints (${rep.lints.length})` : 'lints    none');
  for (const l of rep.lints) {
    out(`  ${l.severity.padEnd(7)} ${l.message}`);
    out(`          fix: ${l.fix}`);
  }
  out('');
  const head = ['module', 'B·A shape', 'r', 'α', 's', '‖ΔW‖_F', 'σ₁', 'rank>floor', 'stable', 'e90', 'e99'];
  const table = rep.modules
    .slice(0, rows)
    .map((m) => [
      m.name,
      `${m.dOut}×${m.dIn}${m.kernel ? ` (${m.kernel.join('×')} kernel)` : ''}`,
      String(m.r),
      m.alpha === null ? '–' : g(m.alpha),
      g(m.scaling),
      g(m.frobenius),
      m.singularValues.length ? g(m.singularValues[0]) : '–',
      String(m.numericalRank),
      g(m.stableRank),
      String(m.energy90),
      String(m.energy99),
    ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  out(line(head));
  table.forEach((r) => out(line(r)));
  if (rep.modules.length > rows)
    out(`… and ${rep.modules.length - rows} more (--modules N to show more, --json for everything)`);
  out('');
  out(`analysed in ${(rep.analyseMs / 1000).toFixed(2)} s (ΔW never formed: QR of both factors, SVD of the r×r core)`);
}

async function inspect(input: string, args: Args, json: boolean, out: Out): Promise<void> {
  const rows = args.num('modules', { integer: true, min: 1 })!;
  const rep = await inspectOpened(await openAdapter(await readInput(input)));
  if (json) out(JSON.stringify(rep, null, 2));
  else printReport(rep, out, rows);
}

function write(dir: string, files: object, out: Out): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files as Record<string, Uint8Array | string>)) {
    writeFileSync(join(dir, name), content);
    out(`wrote ${join(dir, name)}`);
  }
}

async function convert(input: string, args: Args, out: Out): Promise<void> {
  const to = args.choice('to', ['peft', 'mlx'] as const, 'peft');
  const dir = args.required('out');
  const rank = args.num('rank', { integer: true, min: 1 }) ?? null;
  const configPath = args.str('base-config');
  const layout = configPath ? baseFromConfig(new Uint8Array(readFileSync(configPath))) : null;
  const heads = args.num('heads', { integer: true, min: 0 }) || layout?.heads || undefined;
  const parsed = await readAdapter(await readInput(input));
  out(`read ${parsed.modules.length} modules (${parsed.format})`);
  try {
    convertParsed(parsed, { to, dir, rank, heads, layout, configPath }, out);
  } catch (e) {
    if (e instanceof UserFacingError && /attention heads/.test(e.message))
      throw new UserFacingError(`${e.message}; pass --heads N or --base-config config.json`);
    throw e;
  }
}

interface ConvertOptions {
  to: 'peft' | 'mlx';
  dir: string;
  rank: number | null;
  heads: number | undefined;
  layout: ReturnType<typeof baseFromConfig> | null;
  configPath: string | undefined;
}

function convertParsed(parsed: ParsedAdapter, o: ConvertOptions, out: Out): void {
  const { to, dir, rank, heads, layout, configPath } = o;
  if (rank !== null) {
    if (to !== 'peft') throw new UserFacingError('--rank writes PEFT files: use --to peft');
    const s = shrinkAdapter(parsed, rank, { heads });
    for (const m of s.modules)
      out(
        `  ${m.name}: r ${m.fromRank} → ${m.toRank}, ‖ΔW − ΔW_k‖_F = ${g(m.error)} (${(100 * m.relative).toPrecision(3)} % of ‖ΔW‖_F)`,
      );
    out(`whole adapter: ${(100 * s.relativeTotal).toPrecision(3)} % relative error`);
    if (layout) checkWithImporter(s.files, layout.base);
    write(dir, s.files, out);
  } else if (to === 'peft') {
    const c = toPeft(parsed, { heads });
    c.notes.forEach((n) => out(`note: ${n}`));
    if (layout) {
      const imported = checkWithImporter(c.files, layout.base);
      out(`passes the import check for ${configPath} (${imported.adapter.modules.size} modules)`);
      imported.warnings.forEach((w) => out(`  import warning: ${w}`));
    }
    write(dir, c.files, out);
  } else {
    const c = toMlx(parsed);
    c.notes.forEach((n) => out(`note: ${n}`));
    out(`rank ${c.rank}, scale ${c.scale}`);
    write(dir, c.files, out);
  }
}

/**
 * Runs `inspect` or `convert` (they take a path before their flags).
 * @returns the process exit code.
 */
export async function runAdapterCommand(command: string, argv: string[]): Promise<number> {
  const out: Out = (line) => console.log(line);
  const spec = ADAPTER_SPECS[command];
  if (wantsHelp(argv)) {
    out(commandUsage(spec));
    return 0;
  }
  const [input, ...rest] = argv;
  // --json is a switch; Args takes only --flag value pairs.
  const json = rest.includes('--json');
  const flags = rest.filter((f) => f !== '--json');
  try {
    if (!input || input.startsWith('--'))
      throw new UserFacingError(`${command} needs a file or folder first\n${commandUsage(spec)}`);
    const args = new Args(flags, spec);
    if (command === 'inspect') await inspect(input, args, json, out);
    else if (json) throw new UserFacingError('--json is a flag of inspect');
    else await convert(input, args, out);
    return 0;
  } catch (e) {
    if (e instanceof UserFacingError || e instanceof RangeError) {
      console.error(`error: ${errorMessage(e)}`);
      return 1;
    }
    throw e;
  }
}
