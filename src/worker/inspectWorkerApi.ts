/**
 * The adapter inspector's Worker API (comlink): reads the picked files itself (the page passes
 * File handles, never bytes, so a 160 MB adapter is not copied between threads) and hands back
 * plain data. A .safetensors is read header first, then one module's factors at a time
 * (`blob.slice`), each reduced to its statistics before the next is read: the file is never
 * held. Converting and shrinking read the factors again from the same File handles. Separate
 * from the training Worker: an inspection never waits for a training run, nor the other way round.
 */
import { blobSource } from '../engine/checkpoint/byteSource';
import { shrinkAdapter, type ShrinkModule } from '../engine/convert/shrink';
import { toMlx } from '../engine/convert/toMlx';
import { toPeft } from '../engine/convert/toPeft';
import { openAdapter, readAdapter, type AdapterFileInput, type OpenedAdapter } from '../engine/formats/read';
import type { ParsedAdapter } from '../engine/formats/types';
import { inspectOpened, type InspectReport } from '../engine/inspect/inspect';
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
  /** Milliseconds to open the adapter: headers and configs (a zip or GGUF is read whole here). */
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
  /** The inspected adapter's files (File handles and small files' bytes), read again to convert. */
  private inputs: Map<string, AdapterFileInput> | null = null;
  private name = 'adapter';

  /**
   * Reads and inspects an adapter.
   * @param onProgress called at most every 40 ms (and at the end of each phase).
   */
  async inspect(picked: PickedAdapterFile[], onProgress?: (e: InspectProgressEvent) => void): Promise<InspectResult> {
    this.inputs = null;
    const t0 = performance.now();
    const wanted = picked.filter((p) => READ.test(p.path) || NEVER_READ.test(p.path));
    const files = new Map<string, AdapterFileInput>();
    for (const p of wanted) {
      // Pickles are passed on empty; everything else is read through its File handle, as needed.
      files.set(p.path, NEVER_READ.test(p.path) ? new Uint8Array(0) : blobSource(p.file, p.path));
    }
    if (files.size === 0) {
      const got = picked
        .slice(0, 4)
        .map((p) => p.path)
        .join(', ');
      throw new UserFacingError(
        `No adapter files among ${got || 'the picked files'}: expected .safetensors, .gguf, adapter_config.json or a .zip`,
      );
    }
    const total = wanted.reduce((n, p) => n + (NEVER_READ.test(p.path) ? 0 : p.file.size), 0);
    onProgress?.({ phase: 'reading', done: 0, total });
    const opened: OpenedAdapter = await openAdapter(files);
    onProgress?.({ phase: 'reading', done: total, total });
    const readMs = performance.now() - t0;
    let last = 0;
    const report = await inspectOpened(opened, (d, n) => {
      const now = performance.now();
      if (d === n || now - last > PROGRESS_EVERY_MS) {
        last = now;
        onProgress?.({ phase: 'analysing', done: d, total: n });
      }
    });
    this.inputs = files;
    this.name = adapterName(picked);
    return { report, readMs, totalMs: performance.now() - t0 };
  }

  /** The inspected adapter with every factor read (for converting: the output holds them all anyway). */
  private async current(): Promise<ParsedAdapter> {
    if (!this.inputs) throw new UserFacingError('Inspect an adapter first');
    return readAdapter(this.inputs);
  }

  /** The inspected adapter as PEFT or MLX files, zipped. */
  async convert(to: 'peft' | 'mlx', heads?: number): Promise<ConvertedZip> {
    const parsed = await this.current();
    if (to === 'peft') {
      const c = toPeft(parsed, { heads });
      return { fileName: `${this.name}-peft.zip`, zip: zipFiles({ ...c.files }), notes: c.notes };
    }
    const c = toMlx(parsed);
    return { fileName: `${this.name}-mlx.zip`, zip: zipFiles({ ...c.files }), notes: c.notes };
  }

  /** The inspected adapter shrunk to rank k (truncated SVD per module), as zipped PEFT files. */
  async shrink(rank: number, heads?: number): Promise<ShrinkOutcome> {
    const s = shrinkAdapter(await this.current(), rank, { heads });
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
