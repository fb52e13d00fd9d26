/**
 * The adapter inspector's Worker API (comlink): reads the picked files itself (the page passes
 * File handles, never bytes, so a 160 MB adapter is not copied between threads), keeps the parsed
 * adapter for converting and shrinking, and hands back plain data. Separate from the training
 * Worker: an inspection never waits for a training run, nor the other way round.
 */
import { shrinkAdapter, type ShrinkModule } from '../engine/convert/shrink';
import { toMlx } from '../engine/convert/toMlx';
import { toPeft } from '../engine/convert/toPeft';
import { readAdapter } from '../engine/formats/read';
import type { ParsedAdapter } from '../engine/formats/types';
import { inspectAdapter, type InspectReport } from '../engine/inspect/inspect';
import { UserFacingError } from '../engine/types';
import { strToU8, zipSync } from 'fflate';

export interface PickedAdapterFile {
  path: string;
  file: File;
}

export interface InspectProgressEvent {
  phase: 'reading' | 'analysing';
  done: number;
  total: number;
}

export interface InspectResult {
  report: InspectReport;
  /** Milliseconds from the first byte read to the report. */
  totalMs: number;
  readMs: number;
}

export interface ConvertedZip {
  fileName: string;
  zip: Uint8Array;
  notes: string[];
}

export interface ShrinkOutcome extends ConvertedZip {
  modules: ShrinkModule[];
  relativeTotal: number;
}

/** Files never read: pickles can run code when unpickled; they are passed on empty. */
const NEVER_READ = /\.(bin|pt|pth|ckpt|pkl)$/i;
/** Everything else an adapter folder may hold that is not an adapter file (README, images). */
const READ = /\.(safetensors|json|gguf|zip)$/i;

const PROGRESS_EVERY_MS = 40;

export class InspectWorkerApi {
  private parsed: ParsedAdapter | null = null;
  private name = 'adapter';

  /**
   * Reads and inspects an adapter.
   * @param onProgress called at most every 40 ms (and at the end of each phase).
   */
  async inspect(picked: PickedAdapterFile[], onProgress?: (e: InspectProgressEvent) => void): Promise<InspectResult> {
    this.parsed = null;
    const t0 = performance.now();
    const wanted = picked.filter((p) => READ.test(p.path) || NEVER_READ.test(p.path));
    const total = wanted.reduce((n, p) => n + (NEVER_READ.test(p.path) ? 0 : p.file.size), 0);
    const files = new Map<string, Uint8Array>();
    let done = 0;
    for (const p of wanted) {
      if (NEVER_READ.test(p.path)) {
        files.set(p.path, new Uint8Array(0));
        continue;
      }
      onProgress?.({ phase: 'reading', done, total });
      files.set(p.path, new Uint8Array(await p.file.arrayBuffer()));
      done += p.file.size;
    }
    onProgress?.({ phase: 'reading', done, total });
    if (files.size === 0) {
      const got = picked
        .slice(0, 4)
        .map((p) => p.path)
        .join(', ');
      throw new UserFacingError(
        `No adapter files among ${got || 'the picked files'}: expected .safetensors, .gguf, adapter_config.json or a .zip`,
      );
    }
    const parsed = await readAdapter(files);
    files.clear(); // the decoded tensors replace the file bytes: let those go
    const readMs = performance.now() - t0;
    let last = 0;
    const report = inspectAdapter(parsed, (d, n) => {
      const now = performance.now();
      if (d === n || now - last > PROGRESS_EVERY_MS) {
        last = now;
        onProgress?.({ phase: 'analysing', done: d, total: n });
      }
    });
    this.parsed = parsed;
    this.name = adapterName(picked);
    return { report, readMs, totalMs: performance.now() - t0 };
  }

  private current(): ParsedAdapter {
    if (!this.parsed) throw new UserFacingError('Inspect an adapter first');
    return this.parsed;
  }

  /** The inspected adapter as PEFT or MLX files, zipped. */
  convert(to: 'peft' | 'mlx', heads?: number): ConvertedZip {
    const parsed = this.current();
    if (to === 'peft') {
      const c = toPeft(parsed, { heads });
      return { fileName: `${this.name}-peft.zip`, zip: zipFiles({ ...c.files }), notes: c.notes };
    }
    const c = toMlx(parsed);
    return { fileName: `${this.name}-mlx.zip`, zip: zipFiles({ ...c.files }), notes: c.notes };
  }

  /** The inspected adapter shrunk to rank k (truncated SVD per module), as zipped PEFT files. */
  shrink(rank: number, heads?: number): ShrinkOutcome {
    const s = shrinkAdapter(this.current(), rank, { heads });
    return {
      fileName: `${this.name}-r${rank}-peft.zip`,
      zip: zipFiles({ ...s.files }),
      notes: [],
      modules: s.modules,
      relativeTotal: s.relativeTotal,
    };
  }
}

/** A zip of the converted files; the weights are stored, not deflated (floats do not compress). */
function zipFiles(files: Record<string, Uint8Array | string>): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [name, content] of Object.entries(files)) {
    const bytes = typeof content === 'string' ? strToU8(content) : content;
    entries[name] = [bytes, { level: name.endsWith('.safetensors') ? 0 : 6 }];
  }
  return zipSync(entries, { mtime: new Date(2000, 0, 1) });
}

/** A short name for downloads, from the zip's, folder's or file's name. */
function adapterName(picked: PickedAdapterFile[]): string {
  const first = picked[0]?.path.replace(/\\/g, '/') ?? 'adapter';
  const parts = first.split('/');
  const base = parts.length > 1 ? parts[0] : parts[0].replace(/\.(zip|gguf|safetensors)$/i, '');
  const clean = base.replace(/[^\w.-]+/g, '-').slice(0, 48);
  return clean && !/^(adapter_model|adapters|adapter_config\.json)$/.test(clean) ? clean : 'adapter';
}
